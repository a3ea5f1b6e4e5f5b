"""Paging: `page` and `page_size` (default 50, at most 500), for JSON and GeoJSON alike."""

from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination

MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    """`page` and `page_size` (default 50, at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class GeoJSONPagination(GeoJsonPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
