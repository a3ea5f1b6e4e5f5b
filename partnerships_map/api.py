"""What every endpoint of the public API shares: paging, conditional responses (ETag,
Last-Modified, 304), caching headers, API keys and fair-use throttling."""

import functools
import hashlib
import logging
import math

from django.core.cache import cache, caches
from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser
from rest_framework_gis.pagination import GeoJsonPagination

from partnerships_map.clients import client_ip

logger = logging.getLogger(__name__)
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


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `X-Api-Key: <key>`) identifies a partner for
    higher rate limits."""

    keyword = "Api-Key"

    def authenticate(self, request):
        parser = KeyParser()
        key = parser.get_from_authorization(request) or parser.get_from_header(
            request, "HTTP_X_API_KEY"
        )
        if not key:
            return None
        try:
            api_key = APIKey.objects.get_from_key(key)
        except APIKey.DoesNotExist:
            api_key = None
        if api_key is None or not api_key.is_valid(key):
            raise AuthenticationFailed("This API key is not valid, or has been revoked.")
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return self.keyword


class FailOpenThrottle(SimpleRateThrottle):
    """Throttling whose counters live in Redis; if Redis is down, requests are let through
    (the API stays up) and the failure is logged."""

    cache_alias = "throttle"

    @property
    def cache(self):
        return caches[self.cache_alias]

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache backend's connection errors vary
            logger.warning("API throttling skipped: %s", error)
            return True


class AnonymousThrottle(FailOpenThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, APIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyThrottle(FailOpenThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, APIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


def throttled_like_the_api(view):
    """The API's fair-use limits (and API keys) for a plain Django view, such as the bulk
    downloads: over the limit, 429 with Retry-After, as the API answers."""

    @functools.wraps(view)
    def throttled_view(request, *args, **kwargs):
        api_request = Request(request, authenticators=[ApiKeyAuthentication()])
        try:
            api_request.user  # noqa: B018 (authenticates, so an API key gets its own limit)
        except AuthenticationFailed as error:
            return JsonResponse({"detail": error.detail}, status=401)
        for throttle in (AnonymousThrottle(), ApiKeyThrottle()):
            if not throttle.allow_request(api_request, None):
                wait = math.ceil(throttle.wait() or 1)
                response = JsonResponse({"detail": Throttled(wait).detail}, status=429)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return throttled_view


class ConditionalListMixin:
    """ETag and Last-Modified for lists, from the filtered rows' latest change; a matching
    If-None-Match or If-Modified-Since gets 304 before any serialisation. The rendered
    (and gzipped) body is kept per process under its ETag, so repeat requests for
    unchanged data skip serialisation and compression altogether."""

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


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: optional; keys get higher rate limits.",
        }


GEOJSON_MEDIA_TYPE = "application/geo+json"
GEOJSON_SCHEMAS = {
    "GeoJSONGeometry": {
        "type": "object",
        "description": "A GeoJSON geometry (RFC 7946), WGS84 longitude/latitude.",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {
                "type": "string",
                "enum": [
                    "Point",
                    "MultiPoint",
                    "LineString",
                    "MultiLineString",
                    "Polygon",
                    "MultiPolygon",
                ],
            },
            "coordinates": {"type": "array", "items": {}},
        },
    },
    "GeoJSONFeature": {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "geometry": {
                "allOf": [{"$ref": "#/components/schemas/GeoJSONGeometry"}],
                "nullable": True,
            },
            "properties": {
                "type": "object",
                "description": "The fields of the JSON representation, except the geometry.",
                "additionalProperties": True,
            },
        },
    },
    "GeoJSONFeatureCollection": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "count": {"type": "integer", "description": "Paged lists: all matching features."},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/GeoJSONFeature"}},
        },
    },
}


def describe_geojson_responses(result, generator, request, public):
    """drf-spectacular hook: `?format=geojson` answers are GeoJSON (a Feature for a detail,
    a FeatureCollection for a list), not the JSON shape it would otherwise repeat."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(GEOJSON_SCHEMAS)
    for path, operations in result["paths"].items():
        name = "GeoJSONFeature" if path.rstrip("/").endswith("}") else "GeoJSONFeatureCollection"
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if GEOJSON_MEDIA_TYPE in content:
                    content[GEOJSON_MEDIA_TYPE]["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return result
