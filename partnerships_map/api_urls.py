from rest_framework.routers import DefaultRouter

from geodata.api.views import LocalAuthorityViewSet

app_name = "api"

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authority")

urlpatterns = router.urls
