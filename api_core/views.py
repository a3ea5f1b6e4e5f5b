"""Behaviour shared by the API's viewsets: the one JSON/GeoJSON switch, and conditional,
cached list responses."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from api_core.pagination import GeoJSONPagination, Pagination
from api_core.renderers import GeoJSONRenderer


class GeoJSONSwitchMixin:
    """JSON by default, GeoJSON with `?format=geojson`: the serializer and the paginator
    follow the renderer DRF negotiated. Set `geojson_serializer_class` beside
    `serializer_class`."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    geojson_serializer_class = None

    def is_geojson(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == GeoJSONRenderer.format

    def get_serializer_class(self):
        if self.is_geojson():
            return self.geojson_serializer_class
        return super().get_serializer_class()

    @property
    def paginator(self):
        if self.pagination_class is None:
            return None
        if not hasattr(self, "_paginator"):
            self._paginator = GeoJSONPagination() if self.is_geojson() else Pagination()
        return self._paginator


class ConditionalListMixin:
    """ETag and Last-Modified for lists, from the filtered rows' latest change; a matching
    If-None-Match or If-Modified-Since gets 304 before any serialisation. The rendered
    (and gzipped) body is kept under its ETag, so repeat requests for unchanged data skip
    serialisation and compression altogether."""

    changed_field = "updated_at"
    max_age = 300
    body_cache_seconds = 600

    def version(self, queryset):
        state = queryset.order_by().aggregate(count=Count("pk"), changed=Max(self.changed_field))
        return state["count"], state["changed"]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        count, changed = self.version(queryset)
        fingerprint = "|".join(
            [
                str(count),
                changed.isoformat() if changed else "",
                request.get_full_path(),
                request.headers.get("Accept", ""),
            ]
        )
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        last_modified = int(changed.timestamp()) if changed else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        cached = cache.get("api-body:" + etag)
        if cached is None:
            response = super().list(request, *args, **kwargs)
            self.finalize_response(request, response, *args, **kwargs)
            response.render()
            if response.status_code != 200:
                return response
            cached = (response.content, compress_string(response.content), response["Content-Type"])
            cache.set("api-body:" + etag, cached, self.body_cache_seconds)
        content, compressed, content_type = cached
        wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(compressed if wants_gzip else content, content_type=content_type)
        if wants_gzip:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Accept", "Accept-Encoding"])
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=self.max_age)
        return response
