from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from partnerships.api.views import (
    LocalAuthorityWithResearchViewSet,
    PartnershipViewSet,
    SchoolWithPartnershipsViewSet,
    TrustWithPartnershipsViewSet,
)
from partnerships.views import search

app_name = "api"

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityWithResearchViewSet, basename="local-authority")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("schools", SchoolWithPartnershipsViewSet, basename="school")
router.register("trusts", TrustWithPartnershipsViewSet, basename="trust")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("search/", search, name="search"),
    *router.urls,
]
