import csv
import io
import json
from datetime import UTC

import pytest
from django.conf import settings

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_partnerships_csv_has_every_published_partnership_and_its_licence(client, curated):
    response = client.get("/data/partnerships.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="partnerships.csv"' in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    data = rows(response)
    assert len(data) == Partnership.objects.published().count() >= 100
    sheffield = next(r for r in data if r["slug"] == "learn-sheffield")
    assert sheffield["la_codes"] == "E08000019"
    # The region, for "partnerships by LA role per region" without code (issue 24).
    assert (sheffield["region_codes"], sheffield["region_names"]) == (
        "E12000003",
        "Yorkshire and The Humber",
    )
    assert sheffield["licence"].startswith("CC BY 4.0")
    assert "Open Government Licence" in sheffield["attribution"]
    assert sheffield["sources"].startswith("http")


def test_memberships_csv(client, curated):
    data = rows(client.get("/data/memberships.csv"))
    assert data and {"partnership_slug", "kind", "urn", "trust_uid", "la_code", "licence"} <= set(
        data[0]
    )
    sheffield = [r for r in data if r["partnership_slug"] == "learn-sheffield"]
    assert any(r["la_code"] == "E08000019" for r in sheffield)


def test_geojson_downloads_carry_licence_and_attribution(client, curated):
    partnerships = client.get("/data/partnerships.geojson").json()
    assert partnerships["type"] == "FeatureCollection" and len(partnerships["features"]) == (
        Partnership.objects.published().count()
    )
    assert partnerships["licence"].startswith("CC BY 4.0")
    for feature in partnerships["features"]:
        # A partnership whose areas no source confirms has no footprint (null geometry).
        expected = "MultiPolygon" if feature["properties"]["local_authorities"] else None
        assert (feature["geometry"] or {}).get("type") == expected
    areas = client.get("/data/local-authorities.geojson").json()
    assert len(areas["features"]) == 153 and "Contains OS data" in areas["attribution"]
    sheffield = next(f for f in areas["features"] if f["properties"]["ons_code"] == "E08000019")
    curated_file = settings.BASE_DIR / "fixtures" / "partnerships" / "partnerships.json"
    local_in_sheffield = [
        record
        for record in json.loads(curated_file.read_text())
        if "E08000019" in record["local_authorities"] and record["scope"] != "regional"
    ]
    assert sheffield["properties"]["partnership_count"] == len(local_in_sheffield) >= 1


def test_unpublished_partnerships_are_not_downloaded(client, curated):
    from partnerships.models import Partnership

    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert "learn-sheffield" not in client.get("/data/partnerships.csv").content.decode()
    assert "learn-sheffield" not in client.get("/data/memberships.csv").content.decode()


def test_data_page_links_every_download_and_states_licences(client, boundaries):
    html = client.get("/data/").content.decode()
    for link in [
        "/data/partnerships.csv",
        "/data/memberships.csv",
        "/data/partnerships.geojson",
        "/data/local-authorities.geojson",
        "/api/v1/docs/",
    ]:
        assert f'href="{link}"' in html
    assert "CC BY 4.0" in html and "Open Government Licence v3.0" in html


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cells_that_look_like_formulas_are_written_as_text(client, curated, payload):
    from partnerships.models import Membership, Partnership

    Partnership.objects.filter(slug="learn-sheffield").update(legal_form_detail=payload)
    membership = Membership.objects.filter(partnership__slug="learn-sheffield").first()
    Membership.objects.filter(pk=membership.pk).update(name=payload, role=payload)
    sheffield = next(
        r for r in rows(client.get("/data/partnerships.csv")) if r["slug"] == "learn-sheffield"
    )
    assert sheffield["legal_form_detail"] == "'" + payload
    members = rows(client.get("/data/memberships.csv"))
    assert any(r["name"] == "'" + payload and r["role"] == "'" + payload for r in members)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_register_names_that_look_like_formulas_are_written_as_text(client, register, prefix):
    """School, trust and town names come from GIAS, not from us."""
    from geodata.models import School, Trust

    school = School.objects.open().filter(trust__isnull=False).order_by("urn").first()
    School.objects.filter(pk=school.pk).update(
        name=prefix + 'HYPERLINK("http://x")', town=prefix + "SUM(A1)"
    )
    Trust.objects.filter(pk=school.trust_id).update(name=prefix + "1+1")
    row = next(r for r in rows(client.get("/data/schools.csv")) if r["urn"] == str(school.urn))
    assert (row["name"], row["trust_name"], row["town"]) == (
        "'" + prefix + 'HYPERLINK("http://x")',
        "'" + prefix + "1+1",
        "'" + prefix + "SUM(A1)",
    )
    assert float(row["longitude"]) < 0  # a number, negative west of Greenwich, left alone


@pytest.mark.parametrize(
    "url",
    [
        "/data/partnerships.csv",
        "/data/memberships.csv",
        "/data/partnerships.geojson",
        "/data/local-authorities.geojson",
        "/data/la-research.csv",
        "/data/schools.csv",
        "/data/schools.geojson",
    ],
)
def test_downloads_are_throttled_like_the_api(client, boundaries, rate_limits, url):
    from rest_framework_api_key.models import APIKey

    rate_limits(anon="2/min")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    _, key = APIKey.objects.create_key(name="Research partner")
    assert client.get(url, HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Api-Key not.a-key").status_code == 401


def test_a_download_is_built_once_per_data_version_and_kept_whole(
    client, register, django_assert_num_queries
):
    from geodata.models import School

    url = "/data/schools.csv"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == first.content
    for header in ("ETag", "Content-Disposition", "Link", "Content-Type"):
        assert again[header] == first[header], header
    assert 'filename="schools.csv"' in again["Content-Disposition"]
    plain = client.get(url)  # a client that cannot take gzip gets it unpacked
    assert not plain.has_header("Content-Encoding")
    assert plain.content.decode().startswith("urn,name,")

    school = School.objects.open().order_by("urn").first()
    School.objects.filter(pk=school.pk).update(name="Renamed school Z9")
    moved = client.get(url)
    assert moved["ETag"] != first["ETag"]
    assert "Renamed school Z9" in moved.content.decode()


def test_partnership_records_in_the_api_give_their_regions(client, curated):
    body = client.get("/api/v1/partnerships/learn-sheffield/").json()
    assert body["regions"] == [{"code": "E12000003", "name": "Yorkshire and The Humber"}]


def test_a_legal_form_detail_that_repeats_the_form_is_said_once(client, curated):
    """Once shown as "School company: school company"."""
    Partnership.objects.filter(slug="learn-sheffield").update(
        legal_form="school_company", legal_form_detail="school company"
    )
    page = client.get("/partnerships/learn-sheffield/").content.decode()
    assert "School company" in page and "School company: school company" not in page


def download_row(html, name):
    start = html.index(f">{name}</a></th>")
    return html[start : html.index("</tr>", start)]


def test_la_research_is_dated_by_its_own_last_change(client, partnerships, la_research):
    from datetime import datetime

    from partnerships.models import LAResearch

    long_ago = datetime(2026, 1, 5, tzinfo=UTC)
    Partnership.objects.update(updated_at=long_ago)
    LAResearch.objects.update(updated_at=long_ago)
    research = LAResearch.objects.get(local_authority__name="Sheffield")
    research.summary += " (checked again)"
    research.save()  # now: later than every partnership's change
    html = client.get("/data/").content.decode()
    today = research.updated_at.date().isoformat()
    assert f'datetime="{today}' in download_row(html, "la-research.csv")
    assert 'datetime="2026-01-05' in download_row(html, "partnerships.csv")
    assert f'datetime="{today}' in download_row(html, "sources.csv")


def test_the_data_table_links_licences_by_their_short_names(client, boundaries):
    html = client.get("/data/").content.decode()
    row = download_row(html, "partnerships.csv")
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in row
    landscape = download_row(html, "landscape-over-time.csv")
    assert "Open Government Licence v3.0</a> for the register&#x27;s series; " in landscape
    table = html[html.index('id="downloads"') : html.index("</table>")]
    assert "(https://" not in table
