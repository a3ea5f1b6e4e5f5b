"""What the API's views share: the one JSON/GeoJSON switch, lists kept per data version,
and the bulk downloads behind the same keys and fair-use limits."""

from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from api_core.kept_answers import kept_response
from api_core.pagination import MAX_PAGE_SIZE, GeoJSONPagination, Pagination
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
    """Lists kept per data version (`kept_response`): any change to the data behind them (a
    membership, a school import, a boundary switch) changes their ETag, and repeat
    requests skip the database, serialisation and compression altogether."""

    max_age = 300

    def list(self, request, *args, **kwargs):
        def render():
            response = super(ConditionalListMixin, self).list(request, *args, **kwargs)
            response = self.finalize_response(request, response, *args, **kwargs)
            return response.render()

        return kept_response(
            request,
            render,
            vary=["Accept"],
            max_age=self.max_age,
            throttles=self.throttle_classes,
            personal=shows_the_visitor(request),
            shared=at_a_fixed_address(request),
        )


# A list at a fixed address: the whole list page by page (no filter), at the default or
# the largest page size, asked for as programs ask (curl, requests, fetch: no Accept, */*
# or a format's own type). Shared by every web process and rebuilt by the worker after a
# change; any other query stays in the process that answers it, so no query string can
# fill Redis: the addresses are as many as the data has pages.
FIXED_ADDRESS_PARAMETERS = {"page", "page_size", "format"}
FIXED_ADDRESS_PAGE_SIZES = {str(Pagination.page_size), str(MAX_PAGE_SIZE)}
FIXED_ADDRESS_ACCEPT = {"", "*/*", JSONRenderer.media_type, GeoJSONRenderer.media_type}


def at_a_fixed_address(request):
    params = request.GET
    page = params.get("page", "1")
    return (
        set(params) <= FIXED_ADDRESS_PARAMETERS
        and all(len(params.getlist(name)) == 1 for name in params)
        and page.isascii()
        and page.isdigit()
        and not page.startswith("0")
        and params.get("page_size", str(Pagination.page_size)) in FIXED_ADDRESS_PAGE_SIZES
        and request.headers.get("Accept", "") in FIXED_ADDRESS_ACCEPT
    )


def shows_the_visitor(request):
    """The browsable API's pages carry the visitor's CSRF token: theirs alone."""
    return request.accepted_renderer.format == BrowsableAPIRenderer.format


class AnyAccept(BaseContentNegotiation):
    """A file is what it is whatever the client accepts; errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class KeptDownload(APIView):
    """A bulk download (`render`, a plain view that makes the file), kept per data version,
    behind the API's keys and fair-use limits: DRF's own machinery checks them and answers
    401 and 429 as the API does. The same file at any query string, shared by every web
    process; DRF answers OPTIONS itself and refuses other methods, so none renders it."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept
    render = None

    @extend_schema(exclude=True)  # files, described on the open data page
    def get(self, request, *args, **kwargs):
        plain = request._request
        return kept_response(
            plain,
            lambda: self.render(plain, *args, **kwargs),
            reads=(),
            shared=True,
            throttles=self.throttle_classes,
        )


def kept_download(render):
    """`render(request)` as a download view (see `KeptDownload`); `inspect.unwrap` gives
    `render` back, for describing a file without downloading it."""
    view = KeptDownload.as_view(render=render)
    view.__wrapped__ = render
    return view
