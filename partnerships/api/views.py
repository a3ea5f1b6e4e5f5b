from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from geodata.api.serializers import LocalAuthorityDetailSerializer
from geodata.api.views import GeoJSONRenderer, LocalAuthorityViewSet, SchoolViewSet
from geodata.models import LocalAuthority
from geodata.postcodes import (
    InvalidPostcode,
    PostcodeNotFound,
    display_postcode,
    find_postcode,
    normalise_postcode,
)
from partnerships import search
from partnerships.api.filters import PartnershipFilter, SchoolWithPartnershipFilter
from partnerships.api.serializers import (
    LocalAuthorityCoverageSerializer,
    PartnershipFeatureSerializer,
    PartnershipSerializer,
    PostcodeSerializer,
    SearchResponseSerializer,
)
from partnerships.models import Membership, Partnership
from partnerships_map.api import ConditionalListMixin, GeoJSONPagination, Pagination


class PartnershipViewSet(ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Published area-based education partnerships, by slug. Add `?format=geojson` for
    footprints. Filters combine (all must match); comma-separated values match any."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnershipFilter
    lookup_field = "slug"

    def get_queryset(self):
        queryset = Partnership.objects.published().prefetch_related(
            Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("name")),
            "sources",
            Prefetch(
                "members",
                queryset=Membership.objects.select_related("local_authority").order_by(
                    "kind", "name"
                ),
            ),
        )
        if not self.is_geojson():
            queryset = queryset.defer("display_footprint", "drawn_footprint")
        return queryset.order_by("name")

    def is_geojson(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def get_serializer_class(self):
        return PartnershipFeatureSerializer if self.is_geojson() else PartnershipSerializer

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = GeoJSONPagination() if self.is_geojson() else Pagination()
        return self._paginator


class SchoolWithPartnershipsViewSet(SchoolViewSet):
    __doc__ = SchoolViewSet.__doc__ + " `partnership` (a slug) lists a partnership's schools."
    filterset_class = SchoolWithPartnershipFilter


class LocalAuthorityWithCoverageViewSet(LocalAuthorityViewSet):
    __doc__ = LocalAuthorityViewSet.__doc__ + (
        " Detail adds `coverage`: open state-funded schools, the share reached by at least "
        "one local partnership, and the share named as members."
    )

    def get_serializer_class(self):
        serializer = super().get_serializer_class()
        if serializer is LocalAuthorityDetailSerializer:
            return LocalAuthorityCoverageSerializer
        return serializer


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="A place, code, postcode, school or trust.")
    ],
    responses={200: SearchResponseSerializer, 400: OpenApiTypes.OBJECT},
)
class SearchView(APIView):
    """Search for the map: areas (current, or former authorities leading to their
    successors, by name or code), postcodes (to their area), schools and trusts. Each
    result is `{kind, label, url, la}`; `message` says when nothing was found."""

    def get(self, request):
        query = request.query_params.get("q", "")
        if len(query) > search.MAX_LENGTH:
            raise ValidationError({"q": [f"at most {search.MAX_LENGTH} characters"]})
        return Response(search.search(query))


@extend_schema(
    responses={200: PostcodeSerializer, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
)
class PostcodeView(APIView):
    """The local authority an English postcode lies in. Any case and spacing is
    accepted ('s12he', 'S1  2HE'); terminated postcodes answer with their last authority.
    Unknown or non-English postcodes: 404 with a message; not a postcode: 400."""

    def get(self, request, postcode):
        try:
            found, authority = find_postcode(postcode)
        except InvalidPostcode as error:
            raise ValidationError({"postcode": [str(error)]}) from None
        except PostcodeNotFound as error:
            return Response(
                {"detail": str(error), "postcode": display_postcode(normalise_postcode(postcode))},
                status=404,
            )
        return Response(
            PostcodeSerializer(
                {"postcode": found, "local_authority": authority}, context={"request": request}
            ).data
        )
