from django.conf import settings

from geodata.views import boundaries_url


def map_settings(request):
    """Basemap configuration every map page needs, from settings (and so the environment)."""
    return {
        "map_config": {
            "tileUrl": settings.MAP_TILE_URL,
            "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        },
        "boundaries_url": boundaries_url(request),
    }
