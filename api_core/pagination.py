"""Paging: `page` and `page_size` (default 50, at most 500), for JSON and GeoJSON alike.

DRF reads both with `int()` (any Unicode digit) and quietly takes a bad `page_size` as the
default; here both are whole numbers in ASCII digits from 1, anything else a 400 naming the
parameter. A page past the last is a 404 (documented)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination

from api_core.parameters import whole_number

MAX_PAGE_SIZE = 500


class StrictPaging:
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()  # `page` is a number, as the schema says

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        return 1 if value is None else whole_number(value, self.page_query_param)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return min(whole_number(value, self.page_size_query_param), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1; past the last page: 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}); more than "
                f"{self.max_page_size} gives {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


class Pagination(StrictPaging, PageNumberPagination):
    """`page` and `page_size` (default 50, at most 500)."""


class GeoJSONPagination(StrictPaging, GeoJsonPagination):
    pass
