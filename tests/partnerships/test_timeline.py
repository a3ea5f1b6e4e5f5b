"""The landscape over time on the area page, the national page, the CSV downloads and the
API: the same series everywhere, checked against counts made here from the bundled files."""

import csv
import io
import json
from collections import Counter

import pytest
from django.core.cache import caches

from geodata.importers.gias_links import import_links_file
from geodata.landscape_history import ENGLAND, successor_events_of
from partnerships.curated import CURATED_FILE, load_curated_partnerships
from partnerships.models import Partnership
from partnerships.timeline import partnership_years_of, stacked_bars

LINKS_FILE = CURATED_FILE.parent.parent / "gias" / "links_edubasealldata_20250727.csv"
CAMDEN = "E09000007"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()


@pytest.fixture
def links(baseline):
    """The census sample (Camden's 90 schools and a few others) and the real links file."""
    assert import_links_file(LINKS_FILE).status == "succeeded"


@pytest.fixture
def curated(boundaries):
    """Every real curated partnership."""
    load_curated_partnerships()


def curated_records():
    return json.loads(CURATED_FILE.read_text(encoding="utf-8"))


def test_partnerships_by_year_founded_and_ceased_match_the_curated_file(curated):
    local = [
        r
        for r in curated_records()
        if r["scope"] != "regional" and Partnership.objects.get(slug=r["slug"]).published
    ]
    founded = Counter(r.get("founded_year") or "undated" for r in local)
    ceased = Counter(
        (r.get("successor") or {}).get("year") or "undated"
        for r in local
        if r.get("status") == "ceased"
    )
    rows = partnership_years_of(ENGLAND)
    assert {row["year"]: row["founded"] for row in rows if row["founded"]} == dict(founded)
    assert {row["year"]: row["ceased"] for row in rows if row["ceased"]} == dict(ceased)
    assert ceased[2018] == 1  # South York Schools Partnership: became a trust in 2018
    camden = [r for r in local if CAMDEN in r.get("local_authorities", [])]
    assert sum(row["founded"] for row in partnership_years_of(CAMDEN)) == len(camden) >= 1


def test_area_page_shows_the_chart_beside_its_table(client, links):
    rows = successor_events_of(CAMDEN)
    page = client.get(f"/areas/{CAMDEN}/").content.decode()
    assert 'id="timeline-heading"' in page
    assert 'role="img"' in page and "Successor events by year in Camden" in page
    for row in rows:
        if row["year"] != "undated":
            assert f"<title>{row['year']}: {row['total']}</title>" in page
    assert "Source: Department for Education, Get Information About Schools" in page
    assert f"/areas/{CAMDEN}/landscape-over-time.csv" in page
    chart = stacked_bars(rows)
    assert max(bar["total"] for bar in chart["bars"]) == chart["top"]
    tallest = next(bar for bar in chart["bars"] if bar["total"] == chart["top"])
    assert sum(s["height"] for s in tallest["segments"]) == pytest.approx(chart["height"])


def test_national_page_and_its_download(client, links):
    page = client.get("/landscape/").content.decode()
    assert "The landscape over time in England" in page
    total = sum(row["total"] for row in successor_events_of(ENGLAND))
    assert total == 16916
    response = client.get("/data/landscape-over-time.csv")
    assert response.status_code == 200
    assert 'filename="landscape-over-time.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode())))
    events = [r for r in rows if r["series"] == "successor_events"]
    assert sum(int(r["count"]) for r in events if r["area_code"] == ENGLAND) == total
    camden = sum(int(r["count"]) for r in events if r["area_code"] == CAMDEN)
    assert camden == sum(row["total"] for row in successor_events_of(CAMDEN)) > 0
    assert {r["area_code"] for r in rows} >= {ENGLAND, CAMDEN}
    assert all(r["licence"] and r["source"] for r in rows)


def test_area_download_and_bad_codes(client, links):
    response = client.get(f"/areas/{CAMDEN}/landscape-over-time.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode())))
    assert {r["area_code"] for r in rows} == {CAMDEN}
    share = [r for r in rows if r["series"] == "academy_share_now"]
    assert [r["count"] for r in share] == ["59", "5"]  # the sample's Camden academies
    assert client.get("/areas/E99999999/landscape-over-time.csv").status_code == 404


def test_api_gives_the_same_series_and_the_schema_describes_them(client, links):
    answer = client.get(f"/api/v1/landscape/{CAMDEN}/").json()
    expected = successor_events_of(CAMDEN)
    assert [row["total"] for row in answer["successor_events"]] == [r["total"] for r in expected]
    assert answer["successor_events"][-1]["year"] is None  # no date given
    assert answer["academy_share"]["open_state_funded"] == 59
    assert set(answer["sources"]) == {"successor_events", "academy_share", "partnerships"}
    # A DfE code redirects to the ONS code; an unknown code is a 404, never a 500.
    redirect = client.get("/api/v1/landscape/202/")
    assert (redirect.status_code, redirect["Location"]) == (302, f"/api/v1/landscape/{CAMDEN}/")
    missing = client.get("/api/v1/landscape/E99999999/")
    assert missing.status_code == 404 and "E99999999" in missing.json()["detail"]
    england = client.get("/api/v1/landscape/E92000001/").json()
    assert england["code"] == ENGLAND
    assert sum(row["total"] for row in england["successor_events"]) == 16916
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/landscape/{code}/" in schema["paths"]
    assert "LandscapeOverTime" in schema["components"]["schemas"]
