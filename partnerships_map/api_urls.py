from django.urls import path
from rest_framework.routers import DefaultRouter

from geodata.api.views import LocalAuthorityViewSet
from partnerships.views import search

app_name = "api"

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authority")

urlpatterns = [
    path("search/", search, name="search"),
    *router.urls,
]
