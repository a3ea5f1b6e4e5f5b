from django.db.models import Prefetch
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.vary import vary_on_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api_core.kept_answers import kept_response
from api_core.parameters import NUMBER_LIST, number_list, whole_number
from api_core.schema import whole_number_in_path
from api_core.views import ConditionalListMixin, GeoJSONSwitchMixin, shows_the_visitor
from geodata import similarity
from geodata.api.filters import SchoolFilter, TrustFilter
from geodata.api.serializers import (
    LocalAuthorityDetailSerializer,
    LocalAuthorityFeatureSerializer,
    LocalAuthoritySerializer,
    SchoolFeatureSerializer,
    SchoolSerializer,
    SimilarAreasReportSerializer,
    TrustSerializer,
)
from geodata.models import LocalAuthority, School, Trust
from geodata.trusts import current_trust_uid


@method_decorator(vary_on_headers("Accept"), name="dispatch")
class LocalAuthorityViewSet(
    GeoJSONSwitchMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet
):
    """England's local authorities with education responsibility (the 153 of the active
    boundary set). Detail accepts the ONS code, the DfE code or a former code."""

    queryset = (
        LocalAuthority.objects.current()
        .select_related("region")
        .prefetch_related("code_aliases")
        .order_by("name")
    )
    serializer_class = LocalAuthoritySerializer
    geojson_serializer_class = LocalAuthorityFeatureSerializer
    lookup_field = "ons_code"
    lookup_url_kwarg = "code"
    pagination_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and not self.is_geojson():
            return LocalAuthorityDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("indicator_values__indicator")
        if self.is_geojson():
            return queryset.defer("boundary")
        return queryset.defer("boundary", "display_geometry")

    def retrieve(self, request, *args, **kwargs):
        resolved = self.resolve_code(request, kwargs["code"])
        if not isinstance(resolved, LocalAuthority):
            return resolved
        self.kwargs["code"] = resolved.ons_code
        return super().retrieve(request, *args, **kwargs)

    def resolve_code(self, request, code):
        """The authority a code names, or the response to give instead (300, redirect)."""
        matches = list(
            LocalAuthority.objects.current()
            .resolve(code)
            .defer("boundary", "display_geometry")
            .order_by("name")
        )
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
            target = reverse(request.resolver_match.view_name, kwargs={"code": authority.ons_code})
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            return HttpResponseRedirect(target)
        return authority

    @extend_schema(
        parameters=[
            OpenApiParameter("method", str, enum=list(similarity.METHODS), default="indicators"),
            OpenApiParameter("indicators", str, description="Comma-separated indicator codes."),
            OpenApiParameter(
                "weights",
                {"type": "string", "pattern": f"^{NUMBER_LIST.pattern}$"},
                description="Comma-separated weights, one each.",
            ),
            OpenApiParameter(
                "n",
                {"type": "integer", "minimum": 1, "maximum": similarity.MAX_RESULTS},
                default=10,
                description=f"1 to {similarity.MAX_RESULTS}.",
            ),
        ],
        responses={200: SimilarAreasReportSerializer},
    )
    @action(detail=True, url_path="similar", renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def similar(self, request, code=None):
        """Local authorities like this one: `method=indicators` (ours: `indicators` and
        `weights` are comma-separated lists) or `method=dfe` (DfE's statistical
        neighbours), `n` results (1-50), with the overlap between the two methods."""
        params = request.query_params

        def render():
            if code in similarity.matrix().row_of_code:
                authority = code  # today's ONS code: answered from the matrix alone
            else:
                authority = self.resolve_code(request, code)  # 404, 300 or a redirect
                if not isinstance(authority, LocalAuthority):
                    return authority
            try:
                report = similarity.similar_areas_report(
                    authority,
                    method=params.get("method", "indicators"),
                    indicators=params.get("indicators"),
                    weights=number_list(params.get("weights"), "weights"),
                    n=count(params.get("n")),
                )
            except similarity.SimilarityError as error:
                raise ValidationError({error.field: [str(error)]}) from None
            return self.finalize_response(request, Response(report)).render()

        return kept_response(
            request,
            render,
            vary=["Accept"],
            throttles=self.throttle_classes,
            personal=shows_the_visitor(request),
        )


def count(value):
    """`n`, checked as every number of the API is (absent: the method's default)."""
    return None if value is None else whole_number(value, "n", maximum=similarity.MAX_RESULTS)


@whole_number_in_path("urn", "The school's unique reference number.")
class SchoolViewSet(GeoJSONSwitchMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Schools and other establishments from DfE's register (GIAS), by URN. Add
    `?format=geojson` for points."""

    queryset = School.objects.select_related("local_authority", "trust").order_by("urn")
    serializer_class = SchoolSerializer
    geojson_serializer_class = SchoolFeatureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SchoolFilter
    lookup_field = "urn"
    lookup_value_regex = "[0-9]+"  # ASCII: the database reads '٢' as 2


@whole_number_in_path(
    "uid", "GIAS group UID; from 90,000,000 up: a census trust known only by name."
)
class TrustViewSet(ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Academy and other trusts, by GIAS group UID, with their footprint across LAs."""

    serializer_class = TrustSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TrustFilter
    lookup_field = "uid"
    lookup_value_regex = "[0-9]+"  # ASCII: the database reads '٢' as 2

    def retrieve(self, request, *args, **kwargs):
        """A census trust since matched to its GIAS trust redirects there."""
        successor = Trust.objects.filter(uid=kwargs["uid"]).exclude(superseded_by=None).first()
        if successor is not None:
            target = reverse("api:trust-detail", kwargs={"uid": current_trust_uid(successor.uid)})
            return HttpResponsePermanentRedirect(target)
        return super().retrieve(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Trust.objects.current()
            .order_by("name", "uid")
            .prefetch_related(
                Prefetch(
                    "schools",
                    queryset=School.objects.open()
                    .select_related("local_authority")
                    .only(
                        "urn",
                        "trust_id",
                        "status",
                        "local_authority__ons_code",
                        "local_authority__name",
                    ),
                    to_attr="prefetched_open_schools",
                )
            )
        )
