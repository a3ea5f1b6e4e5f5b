import pytest

from partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db
SCHOOLS = "/api/v1/schools/"
TRUSTS = "/api/v1/trusts/"


def urns(client, **params):
    response = client.get(SCHOOLS, params)
    assert response.status_code == 200, response.content
    return sorted(s["urn"] for s in response.json()["results"])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"la": "E09000011"}, [100118, 132837, 143599]),
        ({"la": "203"}, [100118, 132837, 143599]),
        ({"la": "909"}, [112091, 136671]),  # Cumbria's code: both its successors' schools
        ({"trust": "9001"}, [138950, 143599, 148322]),
        ({"phase": "secondary"}, [136671, 138950]),
        ({"type_group": "Independent schools"}, [100371]),
        ({"status": "closed"}, [100118, 132837]),
        ({"q": "deansfield"}, [100118, 132837, 143599]),
        ({"q": "137358"}, [137358]),
        ({"bbox": "-0.1,51.4,0.2,51.55"}, [100118, 132837, 143599]),  # Greenwich
        ({"bbox": "-3.0,50.0,-2.9,50.1"}, []),  # the English Channel
    ],
)
def test_school_filters(client, register, params, expected):
    assert urns(client, **params) == expected


def test_schools_of_a_partnership_directly_or_through_their_trust(client, partnerships, register):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(partnership=sheffield, kind="trust", trust_id=9002, name="MAT 2")
    Membership.objects.create(partnership=sheffield, kind="school", school_id=144638, name="x")
    assert urns(client, partnership="learn-sheffield") == [136671, 137358, 144638]
    response = client.get(SCHOOLS, {"partnership": "nope"})
    assert response.status_code == 400 and list(response.json()) == ["partnership"]


def test_school_detail_and_geojson(client, register):
    school = client.get(SCHOOLS + "143599/").json()
    assert school["name"] == "Deansfield Primary School"
    assert school["local_authority"]["ons_code"] == "E09000011"
    assert school["trust"]["uid"] == 9001
    assert 51.3 < school["latitude"] < 51.6
    body = client.get(SCHOOLS, {"format": "geojson", "la": "E09000011"}).json()
    assert body["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in body["features"]} == {"Point"}
    assert client.get(SCHOOLS + "999999/").status_code == 404


def test_trusts_with_their_footprint(client, register):
    body = client.get(TRUSTS).json()
    assert body["count"] == 3
    first = client.get(TRUSTS + "9001/").json()
    assert first["trust_type"] == "multi_academy" and first["open_schools"] == 3
    assert sorted(f["name"] for f in first["footprint"]) == [
        "Bristol, City of",
        "Greenwich",
        "Wakefield",
    ]
    assert [t["uid"] for t in client.get(TRUSTS, {"la": "857"}).json()["results"]] == [9002]
    assert client.get(TRUSTS, {"la": "E06999999"}).status_code == 400


def test_local_authority_detail_has_its_indicators(client, indicators):
    body = client.get("/api/v1/local-authorities/E08000019/").json()
    prifsm = next(i for i in body["indicators"] if i["code"] == "prifsm")
    assert prifsm["value"] == 33.8 and prifsm["year"] == "2025"
    assert "Open Government Licence" in prifsm["licence"]


@pytest.mark.parametrize("page_size", [2, 10])
def test_register_lists_have_a_fixed_query_count(
    client, register, django_assert_num_queries, page_size
):
    with django_assert_num_queries(3):
        client.get(SCHOOLS, {"page_size": page_size})
    with django_assert_num_queries(4):
        client.get(TRUSTS, {"page_size": page_size})


def test_local_authority_list_has_a_fixed_query_count(
    client, boundaries, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get("/api/v1/local-authorities/")


def test_a_school_missing_from_the_latest_extract_is_not_open(client, baseline):
    from geodata.importers.gias import import_gias_file
    from tests.geodata.gias_files import SAMPLE

    camden = {"la": "E09000007", "page_size": 500}
    assert client.get(SCHOOLS, {**camden, "status": "open"}).json()["count"] == 90
    assert import_gias_file(SAMPLE, force=True).status == "succeeded"  # it has no Camden school
    assert client.get(SCHOOLS, {**camden, "status": "open"}).json()["count"] == 0
    assert client.get(SCHOOLS, {**camden, "status": "OPEN"}).json()["count"] == 0
    assert client.get(SCHOOLS, camden).json()["count"] == 90  # still listed, shown as missing
    assert urns(client, la="E09000011", status="open") == [143599]
    assert urns(client, la="E09000011", status="closed") == [100118, 132837]
    school = client.get(SCHOOLS + "100005/").json()
    assert school["missing_since"] == "2025-11-24"
    assert school["record"] == (
        "DfE school census, January 2023; missing from the latest register extract since "
        "24 November 2025"
    )
    assert client.get(TRUSTS, {"la": "E09000007"}).json()["count"] == 0
