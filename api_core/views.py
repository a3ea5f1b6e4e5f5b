"""Behaviour shared by the API's viewsets: the one JSON/GeoJSON switch, and conditional,
cached list responses."""

import functools
import gzip
import hashlib
import logging
import pickle

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.text import compress_string
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from api_core.pagination import GeoJSONPagination, Pagination
from api_core.redis_clients import redis_client
from api_core.renderers import GeoJSONRenderer

logger = logging.getLogger(__name__)

# Rendered bodies, keyed by an ETag that already names the data version, in each process;
# the costliest (`shared=True`) also in Redis for every other web process.
BODY_CACHE = "data"
SHARED_BODY_CACHE = "shared"
# What a rendered answer may say about its body, kept with it (a download's file name and
# licence).
DESCRIBING_HEADERS = ("Content-Disposition", "Link")


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


def data_version_state():
    """(version, changed_at) of the data behind every answer, from the function the
    `API_DATA_VERSION` setting names: the apps above provide it, this package only asks."""
    return import_string(settings.API_DATA_VERSION)()


def versioned_response(request, render, *, vary=(), max_age=300, shared=False):
    """The answer to a GET whose content depends only on the URL (and the `vary` request
    headers) and the data: its ETag and Last-Modified come from the data version, so a
    matching If-None-Match or If-Modified-Since gets 304 at once, and the body `render()`
    makes (gzipped) is kept under its ETag, so this process renders it once per data
    version. A `shared` answer (one of the few fixed addresses that cost most to render:
    the map page, its boundaries, the open data) is also kept in Redis, so one web process
    renders it for all. Only answers at a fixed address may be shared: a query string
    anyone can vary would fill Redis.
    A response other than 200 is passed through, never kept; a 200 is marked for
    `KeptAnswerMiddleware` to keep whole.

    Bodies name the scheme and host asked (the API's links are absolute): both are in the
    fingerprint."""
    # Read once per request: the middleware may have read it already.
    state = getattr(request, "data_version_state", None) or data_version_state()
    version, changed = state
    request.data_version = version  # what the rendering may need too, without asking again
    fingerprint = "|".join(
        [
            str(version),
            changed.isoformat() if changed else "",  # a rebuilt database counts again from 1
            request.build_absolute_uri(),
            *(request.headers.get(h, "") for h in vary),
        ]
    )
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    last_modified = int(changed.timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    cache = caches[BODY_CACHE]
    cached = cache.get(etag)
    if cached is None:
        reachable, cached = shared_body(etag) if shared else (False, None)
        if cached is None:
            response = render()
            if response.status_code != 200 or response.streaming:
                return response
            described = {h: response[h] for h in DESCRIBING_HEADERS if response.has_header(h)}
            cached = (compress_string(response.content), response["Content-Type"], described)
            if reachable:
                share_body(etag, cached)
        cache.set(etag, cached)
    _compressed, content_type, described = cached
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(body_of(cached, wants_gzip), content_type=content_type)
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    for header, value in described.items():
        response[header] = value
    patch_vary_headers(response, [*vary, "Accept-Encoding"])
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age)
    response.keep_answer = {"version": version, "etag": etag, "last_modified": last_modified}
    return response


def shared_body(etag):
    """(whether Redis answered, the body another web process rendered or None). When Redis
    is down this process renders the answer itself, and does not wait on Redis again to
    share it."""
    cache = caches[SHARED_BODY_CACHE]
    try:
        kept = redis_client(cache).get(cache.make_key(etag))
    except Exception as error:  # the cache backend's connection errors vary
        logger.warning("Shared answer cache unavailable: %s", error)
        return False, None
    return True, None if kept is None else pickle.loads(kept)


def share_body(etag, cached):
    cache = caches[SHARED_BODY_CACHE]
    try:
        key, value = cache.make_key(etag), pickle.dumps(cached)
        redis_client(cache).set(key, value, ex=cache.default_timeout)
    except Exception as error:
        logger.warning("Shared answer cache unavailable: %s", error)


def body_of(cached, gzipped):
    """The body of a kept answer (`versioned_response`'s cache entry), as asked. Bodies are
    kept gzipped only (a download of the register is 10 MB as text, 2 MB gzipped): the rare
    client that cannot take gzip gets it unpacked."""
    compressed = cached[0]
    return compressed if gzipped else gzip.decompress(compressed)


def once_per_data_version(max_age=300, shared=False):
    """A plain view whose GET answer depends only on its address and the data, answered
    through `versioned_response` (other methods go to the view as they are). `shared`: at
    its plain address (no query string), kept in Redis for every web process too."""

    def decorator(view):
        @functools.wraps(view)
        def versioned_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            return versioned_response(
                request,
                lambda: view(request, *args, **kwargs),
                max_age=max_age,
                shared=shared and not request.META.get("QUERY_STRING"),
            )

        return versioned_view

    return decorator


class ConditionalListMixin:
    """Lists answered through `versioned_response`: any change to the data behind them (a
    membership, a school import, a boundary switch) changes their ETag, and repeat
    requests skip the database, serialisation and compression altogether."""

    max_age = 300

    def list(self, request, *args, **kwargs):
        def render():
            response = super(ConditionalListMixin, self).list(request, *args, **kwargs)
            response = self.finalize_response(request, response, *args, **kwargs)
            return response.render()

        return versioned_response(request, render, vary=["Accept"], max_age=self.max_age)
