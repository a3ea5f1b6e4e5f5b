"""The landscape over time checked against counts made here, independently, from the
bundled GIAS links file and the bundled census file (read with the csv module)."""

import csv
import gzip
from collections import Counter

import pytest

from geodata.importers.census import CENSUS_FILE, load_census_baseline
from geodata.importers.gias_links import import_links_file
from geodata.landscape_history import (
    ACADEMY_CONVERSION,
    ENGLAND,
    UNDATED,
    academy_share_of,
    successor_events_of,
)
from partnerships.curated import CURATED_FILE

LINKS_FILE = CURATED_FILE.parent.parent / "gias" / "links_edubasealldata_20250727.csv"
# Camden, Birmingham, Kent, Leeds: LAs whose census codes are today's.
CHECKED_AREAS = ["E09000007", "E08000025", "E10000016", "E08000035"]

pytestmark = pytest.mark.django_db


def census_schools():
    """{urn: (ONS code, is an academy)} from the census file as published."""
    with gzip.open(CENSUS_FILE, "rt", encoding="utf-8") as file:
        return {
            int(row["urn"]): (row["la_gss"], row["academy_flag"] == "Academy")
            for row in csv.DictReader(file)
        }


def expected_counts(schools):
    """{(area, year): Counter(conversions, events)} straight from the links file: a
    Successor-type row is an event, placed by its new school, else by its previous one."""
    counts = Counter()
    with open(LINKS_FILE, encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if not row["LinkType"].startswith("Successor"):
                continue
            new, previous = schools.get(int(row["LinkURN"])), schools.get(int(row["URN"]))
            place = (new or previous or (None,))[0]
            date = row["LinkEstablishedDate"]
            year = int(date[-4:]) if date else UNDATED
            converted = (
                row["LinkType"] == "Successor" and new and new[1] and not (previous and previous[1])
            )
            for area in (place, ENGLAND):
                counts[area, year, "events"] += 1
                counts[area, year, "conversions"] += bool(converted)
    return counts


@pytest.fixture
def register(boundaries):
    assert load_census_baseline().status == "succeeded"
    assert import_links_file(LINKS_FILE).status == "succeeded"


def test_successor_events_match_the_links_file_counted_independently(register):
    expected = expected_counts(census_schools())
    for area in [*CHECKED_AREAS, ENGLAND]:
        rows = successor_events_of(area)
        assert rows, area
        for row in rows:
            assert row["total"] == expected[area, row["year"], "events"], (area, row["year"])
            assert row["counts"][ACADEMY_CONVERSION] == expected[area, row["year"], "conversions"]
        assert sum(row["total"] for row in rows) == sum(
            n for (place, _, what), n in expected.items() if place == area and what == "events"
        )
    england = {row["year"]: row["total"] for row in successor_events_of(ENGLAND)}
    assert england[2011] == 1334  # every Successor-type row of 2011, placed or not
    assert sum(england.values()) == 16916


def test_academy_share_counts_open_state_funded_schools_now(register):
    # GIAS's taxonomy puts the census's 3 city technology colleges among independent
    # schools, and non-maintained special schools are not state-funded.
    not_state_funded = ("Non-maintained special school", "City technology college")
    counts = Counter()
    with gzip.open(CENSUS_FILE, "rt", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["academy_flag"] == "Independent":
                continue
            if row["typeofestablishment_name"] in not_state_funded:
                continue
            for area in (row["la_gss"], ENGLAND):
                counts[area, "schools"] += 1
                counts[area, "academies"] += row["academy_flag"] == "Academy"
    for area in [*CHECKED_AREAS, ENGLAND]:
        share = academy_share_of(area)
        expected = (counts[area, "schools"], counts[area, "academies"])
        assert (share["open_state_funded"], share["academies"]) == expected, area
        assert share["share"] == pytest.approx(expected[1] / expected[0])
    assert academy_share_of(ENGLAND)["open_state_funded"] == 21977


def test_an_area_without_register_or_links_has_empty_series(boundaries):
    assert successor_events_of("E09000007") == []
    assert academy_share_of("E09000007")["share"] is None
