from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or `Accept: application/geo+json`)."""

    media_type = "application/geo+json"
    format = "geojson"
