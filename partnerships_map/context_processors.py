from django.conf import settings
from django.urls import reverse

from geodata.views import boundaries_url


def map_settings(request):
    """Basemap configuration every map page needs, the contact details and data controller,
    retention period, source code address, who runs the service and where feedback goes
    (the beta banner on every page), from settings (and so the environment)."""
    return {
        "map_config": {
            "tileUrl": settings.MAP_TILE_URL,
            "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        },
        "boundaries_url": boundaries_url(),
        "contact_email": settings.CONTACT_EMAIL,
        "data_controller": {
            "name": settings.DATA_CONTROLLER_NAME,
            "address": settings.DATA_CONTROLLER_ADDRESS,
        },
        "source_code_url": settings.SOURCE_CODE_URL,
        "retention_days": settings.SUGGESTION_RETENTION_DAYS,
        "service_owner": settings.SERVICE_OWNER,
        "feedback_url": settings.FEEDBACK_URL or reverse("contact"),
    }
