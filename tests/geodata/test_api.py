import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geodata.models import LocalAuthority

pytestmark = pytest.mark.django_db
URL = "/api/v1/local-authorities/"


def test_geojson_has_every_authority_with_codes_and_region(client, boundaries):
    response = client.get(URL, {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 153
    hartlepool = next(
        f for f in collection["features"] if f["properties"]["ons_code"] == "E06000001"
    )
    assert hartlepool["geometry"]["type"] == "MultiPolygon"
    assert hartlepool["properties"] == {
        "ons_code": "E06000001",
        "dfe_code": "805",
        "name": "Hartlepool",
        "la_type": "unitary",
        "la_type_name": "Unitary authority",
        "region": {"code": "E12000001", "name": "North East"},
        "area_km2": hartlepool["properties"]["area_km2"],
    }
    assert 90 < hartlepool["properties"]["area_km2"] < 100


def test_geojson_is_small_and_served_compressed(client, boundaries):
    response = client.get(URL, {"format": "geojson"}, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 100_000
    assert len(json.loads(gzip.decompress(response.content))["features"]) == 153


def test_repeat_request_with_etag_is_not_modified_until_data_changes(client, boundaries):
    first = client.get(URL, {"format": "geojson"})
    etag = first["ETag"]
    assert etag
    again = client.get(URL, {"format": "geojson"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    as_json = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert as_json.status_code == 200  # another representation, another ETag

    rutland = LocalAuthority.objects.get(name="Rutland")
    rutland.save()
    changed = client.get(URL, {"format": "geojson"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_json_list_has_no_geometry_and_a_fixed_query_count(client, boundaries):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    authorities = response.json()
    assert len(authorities) == 153
    assert "display_geometry" not in authorities[0]
    barnsley = next(a for a in authorities if a["name"] == "Barnsley")
    assert barnsley["alias_codes"] == ["E08000038"]
    assert len(queries) <= 4


def test_detail_by_ons_code(client, boundaries):
    response = client.get(URL + "E06000017/")
    assert response.status_code == 200
    assert response.json()["name"] == "Rutland"


@pytest.mark.parametrize(
    "code, target",
    [("857", "E06000017"), ("e06000017", "E06000017"), ("E08000038", "E08000016")],
)
def test_detail_by_another_code_redirects_to_the_ons_code(client, boundaries, code, target):
    response = client.get(URL + f"{code}/", {"format": "geojson"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{target}/?format=geojson"


def test_a_former_code_with_several_successors_lists_them(client, boundaries):
    response = client.get(URL + "909/")
    assert response.status_code == 300
    assert [s["name"] for s in response.json()["successors"]] == [
        "Cumberland",
        "Westmorland and Furness",
    ]


def test_unknown_code_is_a_json_404(client, boundaries):
    response = client.get(URL + "E06999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No local authority has the code 'E06999999'."}
