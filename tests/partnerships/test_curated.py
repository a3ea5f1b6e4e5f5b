import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from geodata.models import LocalAuthority
from partnerships.curated import load_curated_partnerships
from partnerships.models import Membership, Partnership
from tests.factories import CASL, LEARN_SHEFFIELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated_file(tmp_path, boundaries):
    path = tmp_path / "partnerships.json"
    path.write_text(json.dumps([LEARN_SHEFFIELD, CASL]))
    return path


def test_curated_partnerships_load_with_areas_members_and_sources(curated_file):
    report = load_curated_partnerships(curated_file)
    assert sorted(report.created) == ["cumbria-alliance-of-system-leaders", "learn-sheffield"]
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    assert sheffield.published
    assert [la.name for la in sheffield.local_authorities.all()] == ["Sheffield"]  # 2025 code
    member = sheffield.members.get()
    assert member.kind == Membership.Kind.LOCAL_AUTHORITY
    assert member.local_authority.name == "Sheffield"
    assert sheffield.sources.get().title.startswith("Tes")
    assert sheffield.focus_area_labels() == ["School improvement"]
    casl = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders")
    assert sorted(casl.local_authorities.values_list("name", flat=True)) == [
        "Cumberland",
        "Westmorland and Furness",
    ]
    assert casl.history.filter(history_user__isnull=True).exists()


def test_loading_again_changes_nothing(curated_file):
    load_curated_partnerships(curated_file)
    before = list(Partnership.objects.values_list("slug", "updated_at"))
    report = load_curated_partnerships(curated_file)
    assert report.unchanged == ["learn-sheffield", "cumbria-alliance-of-system-leaders"]
    history = Partnership.history.count()
    assert list(Partnership.objects.values_list("slug", "updated_at")) == before
    load_curated_partnerships(curated_file)
    assert Partnership.history.count() == history


def test_a_changed_record_updates_but_a_moderated_edit_is_kept(curated_file, admin_user):
    load_curated_partnerships(curated_file)
    casl = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders")
    casl.status = Partnership.Status.CEASED
    casl._history_user = admin_user
    casl.save()
    curated_file.write_text(
        json.dumps(
            [{**LEARN_SHEFFIELD, "founded_year": 2016}, {**CASL, "summary": "Changed upstream."}]
        )
    )
    report = load_curated_partnerships(curated_file)
    assert report.updated == ["learn-sheffield"]
    assert report.kept_human_edits == ["cumbria-alliance-of-system-leaders"]
    assert Partnership.objects.get(slug="learn-sheffield").founded_year == 2016
    casl.refresh_from_db()
    assert casl.status == Partnership.Status.CEASED
    assert casl.summary == CASL["summary"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"local_authorities": ["E06999999"]}, "no current local authority has the code"),
        ({"focus_areas": ["astrology"]}, "unknown focus_areas: astrology"),
        ({"la_role": "council_run"}, "la_role 'council_run' is not one of"),
        ({"sources": []}, "sources is required"),
        (
            {"sources": [{"url": "ftp://example.org/a"}]},
            r"url 'ftp://example.org/a' is not a web address \(http:// or https://\)",
        ),
        ({"website": 'https://example.org/"><script>'}, "website .* is not a web address"),
        (
            {"members": [{"kind": "organisation", "name": "A body", "role": "r" * 301}]},
            r"too long: role \(301 characters, at most 300\)",
        ),
        ({"name": "n" * 201}, r"too long: name \(201 characters, at most 200\)"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_written(curated_file, change, message):
    curated_file.write_text(json.dumps([LEARN_SHEFFIELD, {**CASL, **change}]))
    with pytest.raises(CommandError, match=message):
        call_command("load_partnerships", str(curated_file))
    assert not Partnership.objects.exists()


def test_addresses_with_an_en_dash_are_stored_percent_encoded(curated_file):
    source = {**CASL["sources"][0], "url": "https://example.org/essex-county-council-–-improvement"}
    curated_file.write_text(json.dumps([LEARN_SHEFFIELD, {**CASL, "sources": [source]}]))
    load_curated_partnerships(curated_file)
    stored = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders").sources.get()
    assert stored.url == "https://example.org/essex-county-council-%E2%80%93-improvement"


def test_repeated_slugs_are_refused(curated_file):
    curated_file.write_text(json.dumps([LEARN_SHEFFIELD, LEARN_SHEFFIELD]))
    with pytest.raises(CommandError, match="slugs used twice: learn-sheffield"):
        call_command("load_partnerships", str(curated_file))


def test_published_excludes_drafts(curated_file):
    load_curated_partnerships(curated_file)
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert list(Partnership.objects.published().values_list("slug", flat=True)) == [
        "cumbria-alliance-of-system-leaders"
    ]


def test_a_membership_must_name_its_member(curated_file):
    load_curated_partnerships(curated_file)
    partnership = Partnership.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(partnership=partnership, kind="school", name="No URN")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            partnership=partnership,
            kind="local_authority",
            local_authority=LocalAuthority.objects.first(),
            name="Ends before it starts",
            start_date="2020-01-01",
            end_date="2019-01-01",
        )
    # A school not yet in the register can still be named by its URN.
    Membership.objects.create(partnership=partnership, kind="school", school_id=143599, name="x")


def test_footprint_is_the_drawn_one_or_the_union_of_its_areas(curated_file):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    load_curated_partnerships(curated_file)
    casl = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders")
    union = casl.footprint()
    cumberland = LocalAuthority.objects.get(name="Cumberland")
    westmorland = LocalAuthority.objects.get(name="Westmorland and Furness")
    assert union.area == pytest.approx(cumberland.boundary.area + westmorland.boundary.area, 1e-3)
    kendal = Polygon.from_bbox((-2.8, 54.3, -2.7, 54.35))
    casl.drawn_footprint = MultiPolygon(kendal, srid=4326)
    casl.save()
    assert casl.footprint().equals(casl.drawn_footprint)


def test_new_keys_are_stored_and_trusts_are_linked_by_census_name_once_known(curated_file):
    trust = {
        "kind": "trust",
        "name": "STAR ACADEMIES",
        "identifier": None,
        "organisation_type": "",
        "role": "lead partner",
    }
    sheffield = {**LEARN_SHEFFIELD, "members": [*LEARN_SHEFFIELD["members"], trust]}
    curated_file.write_text(json.dumps([sheffield, CASL]))
    report = load_curated_partnerships(curated_file)
    assert report.unlinked_trust_members == 1
    partnership = Partnership.objects.get(slug="learn-sheffield")
    assert (partnership.kind, partnership.evidence_year) == ("partnership", 2025)
    assert str(partnership.last_verified) == "2026-11-25"
    assert partnership.members.count() == 1  # the LA; the trust waits for its register id
    source = partnership.sources.get()
    assert source.checked and source.says.startswith("Learn Sheffield")
    assert str(source.accessed) == "2026-11-25"
    # Once the register holds the trust, the next load links it (and only then).
    from geodata.models import RecordSource, Trust, trust_name_key

    Trust.objects.create(
        uid=90_000_001,
        name="Star Academies",
        name_key=trust_name_key("Star Academies"),
        record_source=RecordSource.CENSUS,
    )
    report = load_curated_partnerships(curated_file)
    assert report.unlinked_trust_members == 0 and report.updated == ["learn-sheffield"]
    assert partnership.members.get(kind="trust").trust_id == 90_000_001
    again = load_curated_partnerships(curated_file)
    assert again.updated == [] and "learn-sheffield" in again.unchanged


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": "active", "evidence_year": 2019}, "contradicts the status rule"),
        ({"status": "unknown", "evidence_year": 2024}, "gives 'active'"),
        ({"evidence_year": "recent"}, "is not a year"),
        ({"last_verified": "25/11/2026"}, "is not a date"),
        ({"kind": "club"}, "kind 'club' is not one of"),
        ({"status": "dormant"}, "status 'dormant' is not one of"),
    ],
)
def test_records_breaking_the_status_rule_or_new_keys_are_refused(curated_file, change, message):
    curated_file.write_text(json.dumps([LEARN_SHEFFIELD, {**CASL, **change}]))
    with pytest.raises(CommandError, match=message):
        call_command("load_partnerships", str(curated_file))
    assert not Partnership.objects.exists()


def test_a_ceased_status_is_taken_as_the_sources_state_it(curated_file):
    curated_file.write_text(json.dumps([{**CASL, "status": "ceased"}]))
    with pytest.raises(CommandError, match="no read source supports status"):
        call_command("load_partnerships", str(curated_file))
    said = {**CASL["sources"][0], "supports": [*CASL["sources"][0]["supports"], "status"]}
    curated_file.write_text(json.dumps([{**CASL, "status": "ceased", "sources": [said]}]))
    load_curated_partnerships(curated_file)
    assert Partnership.objects.get().status == "ceased"


def supports_without(record, *names):
    """The record with its sources no longer supporting (or inferring) these fields."""
    return {
        **record,
        "sources": [
            {
                **source,
                "supports": [n for n in source.get("supports", []) if n not in names],
                "infers": [n for n in source.get("infers", []) if n not in names],
            }
            for source in record["sources"]
        ],
    }


@pytest.mark.parametrize(
    "record, message",
    [
        # Every field a record fills must be stated by a source we read, or refused by name.
        (
            supports_without(LEARN_SHEFFIELD, "founded_year"),
            r"record 1 \(learn-sheffield\): no read source supports founded_year",
        ),
        (
            supports_without(LEARN_SHEFFIELD, "legal_form", "members"),
            "no read source supports legal_form, members",
        ),
        # An unread source supports nothing, whatever it lists.
        ({**CASL, "website": "https://www.cumbriaalliance.org.uk/"}, "supports website"),
        # Only the written rules may infer, and only what they name.
        (
            {
                **LEARN_SHEFFIELD,
                "sources": [{**LEARN_SHEFFIELD["sources"][0], "infers": ["legal_form"]}],
            },
            "no written rule infers legal_form",
        ),
        (
            {
                **LEARN_SHEFFIELD,
                "sources": [{**LEARN_SHEFFIELD["sources"][0], "supports": ["colour"]}],
            },
            "supports names unknown fields: colour",
        ),
        (
            {
                **LEARN_SHEFFIELD,
                "sources": [{**LEARN_SHEFFIELD["sources"][0], "published": "May 2020"}],
            },
            "published 'May 2020' is not YYYY, YYYY-MM or a date",
        ),
        # "No council role stated" cannot stand beside a council that is named.
        (
            {**LEARN_SHEFFIELD, "la_role": "schools_led"},
            "la_role says no council role is stated, but a member is a council",
        ),
        (
            {**LEARN_SHEFFIELD, "la_role": "schools_led", "members": []},
            "but source .* names the council",
        ),
        (
            {**CASL, "successor": {"relation": "converted_to_trust", "name": "X"}},
            "supports successor",
        ),
        ({**CASL, "successor": "X"}, r"successor must be null or \{relation, name, year\}"),
    ],
)
def test_claims_no_read_source_makes_are_refused_by_field(curated_file, record, message):
    others = [r for r in (LEARN_SHEFFIELD, CASL) if r["slug"] != record["slug"]]
    curated_file.write_text(json.dumps([record, *others]))
    with pytest.raises(CommandError, match=message):
        call_command("load_partnerships", str(curated_file))
    assert not Partnership.objects.exists()


def test_a_stated_successor_and_each_sources_claims_are_stored(curated_file):
    source = {**CASL["sources"][0], "supports": [*CASL["sources"][0]["supports"], "successor"]}
    casl = {
        **CASL,
        "status": "ceased",
        "successor": {"relation": "converted_to_trust", "name": "A Trust", "year": 2015},
        "sources": [{**source, "supports": [*source["supports"], "status"]}],
    }
    curated_file.write_text(json.dumps([LEARN_SHEFFIELD, casl]))
    load_curated_partnerships(curated_file)
    stored = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders")
    assert (stored.successor_relation, stored.successor_name, stored.successor_year) == (
        "converted_to_trust",
        "A Trust",
        2015,
    )
    read = stored.sources.get()
    assert "successor" in read.supports and read.infers == ["kind", "local_authorities", "reach"]
    assert Partnership.objects.get(slug="learn-sheffield").sources.get().published == "2025-11-24"
