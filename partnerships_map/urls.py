from django.contrib import admin
from django.urls import include, path

from partnerships_map.health import healthz

handler500 = "partnerships.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("partnerships_map.api_urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("partnerships.urls")),
]
