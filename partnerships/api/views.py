from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from api_core.views import ConditionalListMixin, GeoJSONSwitchMixin
from geodata.api.views import LocalAuthorityViewSet, SchoolViewSet, TrustViewSet
from partnerships.api.filters import (
    PartnershipFilter,
    SchoolWithPartnershipFilter,
    TrustWithPartnershipFilter,
)
from partnerships.api.serializers import (
    LocalAuthorityWithResearchSerializer,
    PartnershipFeatureSerializer,
    PartnershipSerializer,
)
from partnerships.models import Partnership


class PartnershipViewSet(GeoJSONSwitchMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Published area-based education partnerships, by slug. Add `?format=geojson` for
    footprints. Filters combine (all must match); comma-separated values match any."""

    serializer_class = PartnershipSerializer
    geojson_serializer_class = PartnershipFeatureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnershipFilter
    lookup_field = "slug"

    def get_queryset(self):
        queryset = Partnership.objects.published().with_public_relations()
        if not self.is_geojson():
            queryset = queryset.defer("display_footprint", "drawn_footprint")
        return queryset.order_by("name")


class SchoolWithPartnershipsViewSet(SchoolViewSet):
    __doc__ = SchoolViewSet.__doc__ + " `partnership` (a slug) lists a partnership's schools."
    filterset_class = SchoolWithPartnershipFilter


class TrustWithPartnershipsViewSet(TrustViewSet):
    __doc__ = (
        TrustViewSet.__doc__
        + " `partnership_role=true` lists trusts that published local partnerships name."
    )
    filterset_class = TrustWithPartnershipFilter


class LocalAuthorityWithResearchViewSet(LocalAuthorityViewSet):
    __doc__ = (
        LocalAuthorityViewSet.__doc__
        + " Detail adds `research`: what we know of school collaboration there."
    )

    def get_serializer_class(self):
        if self.action == "retrieve" and not self.is_geojson():
            return LocalAuthorityWithResearchSerializer
        return super().get_serializer_class()
