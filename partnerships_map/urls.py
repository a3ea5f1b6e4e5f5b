from django.contrib import admin
from django.urls import include, path
from django.views.defaults import page_not_found

from api_core.exceptions import json_errors_for_the_api, json_not_found_for_the_api
from geodata.views import local_authority_boundaries
from partnerships.admin import worklist_page
from partnerships.views import server_error
from partnerships_map.health import healthz

# Pages: the HTML page that needs no database; the API: JSON (a 503 if the database is down).
handler500 = json_errors_for_the_api(server_error)
handler404 = json_not_found_for_the_api(page_not_found)

urlpatterns = [
    path("admin/worklist/", admin.site.admin_view(worklist_page), name="moderator-worklist"),
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
