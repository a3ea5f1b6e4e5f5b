from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or `Accept: application/geo+json`)."""

    media_type = "application/geo+json"
    format = "geojson"


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, except that `?format=` names a format of the view or is a 400 naming `format`
    (DRF answers an unknown one 404 and ignores an empty one)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        parameter = self.settings.URL_FORMAT_OVERRIDE
        if not format_suffix and request.query_params.get(parameter) == "":
            raise ValidationError({parameter: ["give a format, or leave the parameter out"]})
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        known = [renderer for renderer in renderers if renderer.format == format]
        if not known:
            offered = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError(
                {self.settings.URL_FORMAT_OVERRIDE: [f"unknown format; offered: {offered}"]}
            )
        return known
