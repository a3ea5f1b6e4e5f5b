from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or `Accept: application/geo+json`)."""

    media_type = "application/geo+json"
    format = "geojson"


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, except that `?format=` names a format of the view or is a 400 naming `format`
    (DRF answers an unknown one 404 and ignores an empty one). An unknown suffix
    (`/partnerships/x.xml`) stays a 404: it is part of the address."""

    def select_renderer(self, request, renderers, format_suffix=None):
        parameter = self.settings.URL_FORMAT_OVERRIDE
        if not format_suffix and parameter in request.query_params:
            offered = [renderer.format for renderer in renderers]
            if request.query_params[parameter] not in offered:
                message = f"unknown format; offered: {', '.join(offered)}"
                raise ValidationError({parameter: [message]})
        return super().select_renderer(request, renderers, format_suffix)
