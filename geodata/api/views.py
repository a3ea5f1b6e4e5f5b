import hashlib

from django.db.models import Count, Max
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.vary import vary_on_headers
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from geodata.api.serializers import LocalAuthorityFeatureSerializer, LocalAuthoritySerializer
from geodata.models import LocalAuthority


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def data_etag(queryset, request):
    """An ETag that changes whenever the listed rows or the representation asked for do."""
    state = queryset.order_by().aggregate(count=Count("pk"), changed=Max("updated_at"))
    fingerprint = "|".join(
        [
            str(state["count"]),
            state["changed"].isoformat() if state["changed"] else "",
            request.get_full_path(),
            request.headers.get("Accept", ""),
        ]
    )
    return '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'


@method_decorator(vary_on_headers("Accept"), name="dispatch")
class LocalAuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    """England's local authorities with education responsibility (the 153 of the active
    boundary set). Detail accepts the ONS code, the DfE code or a former code."""

    queryset = (
        LocalAuthority.objects.current()
        .select_related("region")
        .prefetch_related("code_aliases")
        .order_by("name")
    )
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    lookup_field = "ons_code"
    lookup_url_kwarg = "code"
    pagination_class = None

    def get_serializer_class(self):
        if getattr(self.request, "accepted_renderer", None) and (
            self.request.accepted_renderer.format == "geojson"
        ):
            return LocalAuthorityFeatureSerializer
        return LocalAuthoritySerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.get_serializer_class() is LocalAuthorityFeatureSerializer:
            return queryset.defer("boundary")
        return queryset.defer("boundary", "display_geometry")

    def list(self, request, *args, **kwargs):
        etag = data_etag(LocalAuthority.objects.current(), request)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = super().list(request, *args, **kwargs)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=300)
        return response

    def retrieve(self, request, *args, **kwargs):
        code = kwargs["code"]
        matches = list(LocalAuthority.objects.current().resolve(code).order_by("name"))
        if not matches:
            raise NotFound(f"No local authority has the code {code!r}.")
        if len(matches) > 1:
            return JsonResponse(
                {
                    "detail": f"{code} is a former code now covered by several authorities.",
                    "successors": [
                        {"ons_code": la.ons_code, "dfe_code": la.dfe_code, "name": la.name}
                        for la in matches
                    ],
                },
                status=300,
            )
        authority = matches[0]
        if code != authority.ons_code:
            target = reverse("api:local-authority-detail", kwargs={"code": authority.ons_code})
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            return HttpResponseRedirect(target)
        self.kwargs["code"] = authority.ons_code
        return super().retrieve(request, *args, **kwargs)
