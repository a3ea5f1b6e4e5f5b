"""What the map page embeds: the partnerships it filters and shades (through the API's
serializer; regional bodies flagged `regional`), the filters' choices (from the model),
coverage per area and what we know of each area (its research status)."""

from django.db.models import Prefetch

from geodata.models import ImportRun, LocalAuthority, Region
from partnerships.api.serializers import MapPartnershipSerializer
from partnerships.coverage import coverage_by_authority
from partnerships.models import FILTERABLE_FIELDS, LAResearch, Partnership, field_choices


def published_with_area_codes():
    """Published partnerships with just their areas' codes, for pages that embed them."""
    return Partnership.objects.published().prefetch_related(
        Prefetch("local_authorities", queryset=LocalAuthority.objects.only("ons_code"))
    )


def filter_choices():
    """{parameter: [[value, label], ...]} for every filter the API and the map offer."""
    return {
        parameter: [[value, str(label)] for value, label in field_choices(field)]
        for parameter, field in FILTERABLE_FIELDS.items()
    }


def map_data(register=None):
    """Everything the map filters and shades, embedded in the page: one request fewer.
    `register`: the register's state, when the caller has read it already."""
    register = register or ImportRun.objects.register_state()
    return {
        "partnerships": MapPartnershipSerializer(
            published_with_area_codes().defer("display_footprint"), many=True
        ).data,
        "choices": filter_choices(),
        "regions": list(Region.objects.values("code", "name")),
        "coverage": coverage_by_authority() if register["loaded"] else None,
        "research": research_by_authority(),
        "research_statuses": [[value, str(label)] for value, label in LAResearch.Status.choices],
    }


def research_by_authority():
    """{ons_code: research status} for the "what we know" shading."""
    records = LAResearch.objects.with_status().select_related("local_authority")
    return {
        record.local_authority.ons_code: record.status
        for record in records.only("local_authority__ons_code", "none_found_on")
    }
