"""What the map page embeds: the partnerships it filters and shades (through the API's
serializer; regional bodies flagged `regional`), the filters (the API's, with their choices
from the model), coverage per area and what we know of each area (its research status).
And the map's address: its filters under the API's parameter names."""

from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.formats import date_format

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


def filter_keys():
    """{parameter: the key under which each embedded partnership holds the field filtered}:
    the map's script filters by the API's parameters without a list of its own."""
    keys = {field.source: name for name, field in MapPartnershipSerializer().fields.items()}
    return {parameter: keys[field] for parameter, field in FILTERABLE_FIELDS.items()}


# The map's parameters that once had names of their own: their links still open the map.
RENAMED_PARAMETERS = {"role": "la_role", "legal": "legal_form"}


def renamed_query(query):
    """The map's query string under today's names (values of a filter joined by commas, as
    the API takes them), or None if `query` (a QueryDict) uses none of the old names."""
    if not any(old in query for old in RENAMED_PARAMETERS):
        return None
    renamed = QueryDict(mutable=True)
    for name, values in query.lists():
        name = RENAMED_PARAMETERS.get(name, name)
        if name in FILTERABLE_FIELDS:
            values = [",".join(filter(None, [*renamed.getlist(name), *values]))]
        renamed.setlist(name, values)
    return renamed.urlencode(safe=",")


def map_data(register=None):
    """Everything the map filters and shades, embedded in the page: one request fewer.
    `register`: the register's state, when the caller has read it already."""
    register = register or ImportRun.objects.register_state()
    return {
        "partnerships": MapPartnershipSerializer(
            published_with_area_codes().defer("display_footprint"), many=True
        ).data,
        "choices": filter_choices(),
        "filters": filter_keys(),
        "regions": list(Region.objects.values("code", "name")),
        "coverage": coverage_by_authority() if register["loaded"] else None,
        **research_by_authority(),
        "research_statuses": [[value, str(label)] for value, label in LAResearch.Status.choices],
        "council_role_labels": [
            [value, str(label)] for value, label in LAResearch.CouncilRole.choices
        ],
    }


def research_by_authority():
    """{"research": {ons_code: research status}, "council_roles": {ons_code: the council's
    school-improvement role}, "none_found_on": {ons_code: the date research found none, in
    the site's words}} for the "what we know" and "council's role" shadings, and for saying
    "none found" only where research found none."""
    records = LAResearch.objects.with_status().select_related("local_authority")
    records = records.only("local_authority__ons_code", "none_found_on", "council_role", "summary")
    research, council_roles, none_found_on = {}, {}, {}
    for record in records:
        code = record.local_authority.ons_code
        research[code] = record.status
        council_roles[code] = record.council_role
        if record.status == LAResearch.Status.NONE_FOUND:
            none_found_on[code] = date_format(record.none_found_on, "j F Y")
    return {"research": research, "council_roles": council_roles, "none_found_on": none_found_on}
