"""The partnership's field groups are declared once (partnerships.models) and every door
reads them: a field added to a group appears everywhere without further code."""

import csv
import io

import pytest

from partnerships.admin import PartnershipAdmin
from partnerships.api.filters import PartnershipFilter
from partnerships.map_data import filter_choices
from partnerships.models import (
    DOWNLOADABLE_FIELDS,
    FILTERABLE_FIELDS,
    PUBLIC_FIELDS,
    SUGGESTIBLE_FIELDS,
    Partnership,
    field_choices,
)
from partnerships.suggestions import SuggestionForm

pytestmark = pytest.mark.django_db


def test_the_api_publishes_every_public_field(client, partnerships):
    detail = client.get("/api/v1/partnerships/learn-sheffield/").json()
    assert set(PUBLIC_FIELDS) <= set(detail)


def test_the_download_has_a_column_for_every_downloadable_field(client, partnerships):
    header = next(csv.reader(io.StringIO(client.get("/data/partnerships.csv").content.decode())))
    expected = {"la_codes", "la_names"} | set(DOWNLOADABLE_FIELDS) - {"local_authorities"}
    assert expected <= set(header)


def test_the_form_offers_exactly_the_suggestible_fields(boundaries):
    form_fields = [name for name in SuggestionForm().fields if name in PUBLIC_FIELDS]
    assert form_fields == SUGGESTIBLE_FIELDS


def test_the_admin_shows_every_public_field():
    shown = {name for _, options in PartnershipAdmin.fieldsets for name in options["fields"]}
    assert set(PUBLIC_FIELDS) <= shown


def test_filters_and_the_map_take_their_choices_from_the_model():
    for parameter, field in FILTERABLE_FIELDS.items():
        allowed = [value for value, _ in field_choices(field)]
        assert PartnershipFilter.base_filters[parameter].allowed == allowed
        assert [value for value, _ in filter_choices()[parameter]] == allowed
    assert field_choices("status") == list(Partnership.Status.choices)
