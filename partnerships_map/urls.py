from django.contrib import admin
from django.urls import include, path

from geodata.views import local_authority_boundaries
from partnerships_map.health import healthz

handler500 = "partnerships.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("partnerships_map.api_urls")),
    path("healthz", healthz, name="healthz"),
    path(
        "map-data/local-authorities.geojson",
        local_authority_boundaries,
        name="map-boundaries",
    ),
    path("", include("partnerships.urls")),
]
