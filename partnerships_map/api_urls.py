from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from partnerships.api.views import (
    LandscapeView,
    LocalAuthorityWithPartnershipsViewSet,
    PartnershipViewSet,
    PostcodeView,
    SchoolWithPartnershipsViewSet,
    SearchView,
    TrustWithPartnershipsViewSet,
)

app_name = "api"

router = DefaultRouter()
router.register(
    "local-authorities", LocalAuthorityWithPartnershipsViewSet, basename="local-authority"
)
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("schools", SchoolWithPartnershipsViewSet, basename="school")
router.register("trusts", TrustWithPartnershipsViewSet, basename="trust")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("search/", SearchView.as_view(), name="search"),
    path("landscape/<str:code>/", LandscapeView.as_view(), name="landscape"),
    path("postcodes/<str:postcode>/", PostcodeView.as_view(), name="postcode"),
    *router.urls,
]
