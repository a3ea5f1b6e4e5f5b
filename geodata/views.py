"""The site's own map data: first-party resources, versioned and cacheable, that the
public API's fair-use quota never counts."""

from django.http import JsonResponse
from django.urls import reverse

from api_core.data_version import data_version_tag
from api_core.kept_answers import IMMUTABLE, kept_response
from geodata.api.serializers import LocalAuthorityFeatureSerializer
from geodata.models import LocalAuthority


def boundaries_url():
    """Where the site's maps fetch the LA boundaries for the current data version."""
    return f"{reverse('map-boundaries')}?v={data_version_tag()}"


def local_authority_boundaries(request):
    """The current authorities' display boundaries (the API's GeoJSON, without its quota)."""

    def render():
        authorities = (
            LocalAuthority.objects.current()
            .select_related("region")
            .defer("boundary")
            .order_by("name")
        )
        features = LocalAuthorityFeatureSerializer(
            authorities, many=True, context={"request": request}
        ).data
        return JsonResponse(features, content_type="application/geo+json")

    # The same boundaries whatever `v` says: one answer per data version, shared.
    as_the_pages_name_it = request.GET.get("v") == data_version_tag()
    max_age = IMMUTABLE if as_the_pages_name_it else 300
    at_an_address_to_keep = as_the_pages_name_it or not request.GET
    return kept_response(
        request, render, max_age=max_age, reads=(), shared=True, canonical=at_an_address_to_keep
    )
