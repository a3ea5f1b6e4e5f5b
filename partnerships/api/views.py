from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from geodata.api.views import GeoJSONRenderer, SchoolViewSet
from geodata.models import LocalAuthority
from partnerships.api.filters import PartnershipFilter, SchoolWithPartnershipFilter
from partnerships.api.serializers import PartnershipFeatureSerializer, PartnershipSerializer
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
