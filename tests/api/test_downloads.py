import csv
import io

import pytest

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
    assert sheffield["properties"]["partnership_count"] == 1


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
