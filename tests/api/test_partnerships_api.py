import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from partnerships.models import Partnership, Suggestion

pytestmark = pytest.mark.django_db
URL = "/api/v1/partnerships/"


def slugs(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [p["slug"] for p in response.json()["results"]]


def test_list_and_detail_of_published_partnerships(client, partnerships):
    body = client.get(URL).json()
    assert body["count"] == 2
    sheffield = next(p for p in body["results"] if p["slug"] == "learn-sheffield")
    assert sheffield["local_authorities"] == [
        {
            "ons_code": "E08000019",
            "dfe_code": "373",
            "name": "Sheffield",
            "la_type": "metropolitan_district",
        }
    ]
    assert sheffield["sources"][0]["url"].startswith("https://www.tes.com/")
    assert sheffield["members"][0]["la_code"] == "E08000019"
    assert sheffield["page"] == "http://testserver/partnerships/learn-sheffield/"
    detail = client.get(URL + "learn-sheffield/").json()
    assert detail["name"] == "Learn Sheffield" and detail["declared_member_count"] == 184


def test_unpublished_partnerships_are_invisible(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert slugs(client) == ["cumbria-alliance-of-system-leaders"]
    response = client.get(URL + "learn-sheffield/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Partnership matches the given query."}


def test_no_personal_data_anywhere_in_the_api(client, partnerships):
    Suggestion.objects.create(
        kind="amendment",
        partnership=Partnership.objects.get(slug="learn-sheffield"),
        proposed={"status": "ceased"},
        submitter_name="Private Person",
        submitter_email="private@example.org",
    )
    for url in [URL, URL + "learn-sheffield/", URL + "?format=geojson", "/api/v1/schema/"]:
        content = client.get(url).content.decode()
        assert "private@example.org" not in content and "Private Person" not in content


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"la": "E08000019"}, ["learn-sheffield"]),
        ({"la": "373"}, ["learn-sheffield"]),
        ({"la": "E08000039"}, ["learn-sheffield"]),
        ({"la": "909"}, ["cumbria-alliance-of-system-leaders"]),
        ({"region": "E12000002"}, ["cumbria-alliance-of-system-leaders"]),
        ({"la_role": "schools_and_la"}, ["cumbria-alliance-of-system-leaders", "learn-sheffield"]),
        ({"la_role": "la_coordinating"}, []),
        (
            {"focus": "school_improvement,attendance"},
            ["cumbria-alliance-of-system-leaders", "learn-sheffield"],
        ),
        ({"phase": "primary"}, []),
        ({"scope": "several_las"}, ["cumbria-alliance-of-system-leaders"]),
        ({"legal_form": "school_company,charity"}, ["learn-sheffield"]),
        ({"status": "unknown"}, ["cumbria-alliance-of-system-leaders"]),
        ({"q": "sheffeld"}, ["learn-sheffield"]),
        ({"q": "CASL"}, ["cumbria-alliance-of-system-leaders"]),
        ({"bbox": "-1.6,53.3,-1.4,53.45"}, ["learn-sheffield"]),
        (
            {"updated_since": "2000-01-01T00:00:00Z"},
            ["cumbria-alliance-of-system-leaders", "learn-sheffield"],
        ),
        ({"updated_since": "2999-01-01T00:00:00Z"}, []),
        ({"la": "E08000019", "status": "unknown"}, []),
    ],
)
def test_every_filter(client, partnerships, params, expected):
    assert sorted(slugs(client, **params)) == expected


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"la": "E06999999"}, "la", "no local authority has the code"),
        ({"region": "North"}, "region", "no region has the code"),
        ({"focus": "astrology"}, "focus", "unknown value(s) astrology"),
        ({"la_role": "council"}, "la_role", "allowed: schools_led"),
        ({"status": "open"}, "status", "unknown value(s) open"),
        ({"bbox": "1,2,3"}, "bbox", "give four numbers"),
        ({"bbox": "10,60,-10,50"}, "bbox", "min < max"),
        ({"updated_since": "yesterday"}, "updated_since", "Enter a valid date/time."),
        ({"page_size": "many"}, "page_size", "is not a whole number"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, partnerships, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field] and message in body[field][0], body


def test_paging_has_a_documented_maximum(client, curated):
    body = client.get(URL, {"page_size": 5}).json()
    published = Partnership.objects.published().count()
    assert body["count"] == published and len(body["results"]) == 5 and "page=2" in body["next"]
    assert len(client.get(URL, {"page_size": 10000}).json()["results"]) == published  # cap 500
    response = client.get(URL, {"page": 99})
    assert response.status_code == 404 and response.json() == {"detail": "Invalid page."}


def test_geojson_has_footprints(client, partnerships):
    body = client.get(URL, {"format": "geojson"}).json()
    assert body["type"] == "FeatureCollection" and body["count"] == 2
    casl = next(f for f in body["features"] if f["properties"]["slug"].startswith("cumbria"))
    assert casl["geometry"]["type"] == "MultiPolygon"


def test_etag_and_last_modified_give_304_until_something_changes(client, partnerships):
    first = client.get(URL)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    later = http_date((timezone.now() + datetime.timedelta(hours=1)).timestamp())
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    partnership = Partnership.objects.get(slug="learn-sheffield")
    partnership.summary += " More."
    partnership.save()
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cors_allows_reading_from_anywhere(client, partnerships):
    response = client.get(URL, HTTP_ORIGIN="https://research.example.ac.uk")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        URL, HTTP_ORIGIN="https://x.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://x.example")


@pytest.mark.parametrize("page_size", [1, 40])
def test_list_query_count_does_not_grow_with_page_size(
    client, curated, django_assert_num_queries, page_size
):
    with django_assert_num_queries(6):
        client.get(URL, {"page_size": page_size})
    with django_assert_num_queries(6):
        client.get(URL, {"page_size": page_size, "format": "geojson"})


def test_trusts_can_be_filtered_to_those_with_local_partnership_roles(
    client, partnerships, register
):
    from geodata.models import Trust
    from partnerships.models import Membership

    trust = Trust.objects.order_by("uid").first()
    assert client.get("/api/v1/trusts/", {"partnership_role": "true"}).json()["count"] == 0
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(partnership=sheffield, kind="trust", trust=trust, name=trust.name)
    body = client.get("/api/v1/trusts/", {"partnership_role": "true"}).json()
    assert [t["uid"] for t in body["results"]] == [trust.uid]
    others = client.get("/api/v1/trusts/", {"partnership_role": "false"}).json()
    assert trust.uid not in [t["uid"] for t in others["results"]]
    Partnership.objects.filter(pk=sheffield.pk).update(scope="regional")
    assert client.get("/api/v1/trusts/", {"partnership_role": "true"}).json()["count"] == 0
    bad = client.get("/api/v1/trusts/", {"partnership_role": "maybe"})
    assert bad.status_code == 400 and "partnership_role" in bad.json()


def test_partnerships_carry_kind_evidence_year_and_what_sources_say(client, partnerships):
    sheffield = client.get(URL + "learn-sheffield/").json()
    assert (sheffield["kind"], sheffield["evidence_year"]) == ("partnership", 2025)
    assert sheffield["sources"][0]["checked"] is True and sheffield["sources"][0]["says"]
    assert slugs(client, kind="partnership") == [
        "cumbria-alliance-of-system-leaders",
        "learn-sheffield",
    ]
    assert client.get(URL, {"kind": "club"}).status_code == 400
