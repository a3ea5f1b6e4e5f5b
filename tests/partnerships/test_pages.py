import json
import tomllib
from pathlib import Path

import pytest

from geodata.models import LocalAuthority, School, Trust
from partnerships.coverage import coverage_by_authority
from partnerships.models import FILTERABLE_FIELDS, Membership, Partnership

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def map_data(response):
    html = response.content.decode()
    start = html.index('<script id="map-data" type="application/json">') + len(
        '<script id="map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_map_embeds_published_partnerships_with_their_areas(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    data = map_data(client.get("/"))
    assert [p["slug"] for p in data["partnerships"]] == ["cumbria-alliance-of-system-leaders"]
    casl = data["partnerships"][0]
    assert sorted(casl["las"]) == ["E06000063", "E06000064"]
    assert casl["url"] == "/partnerships/cumbria-alliance-of-system-leaders/"
    assert ["schools_and_la", "Schools and LA together"] in data["choices"]["la_role"]
    assert len(data["regions"]) == 9
    assert data["coverage"] is None  # no register loaded


def test_map_page_query_count_does_not_grow_with_partnerships(
    client, partnerships, django_assert_max_num_queries
):
    # Data version (read twice), boundary set, register state (2), partnerships with their
    # areas (2), regions, research statuses: none of them grows with the data.
    with django_assert_max_num_queries(9):
        client.get("/")
    with django_assert_max_num_queries(1):  # unchanged data: the page as rendered before
        assert client.get("/").status_code == 200


def test_the_map_filters_by_the_apis_parameters(client, partnerships):
    """The page names the API's filters and where each partnership holds its value, so the
    map's script needs no list of its own; the form's fields carry the same names."""
    response = client.get("/")
    data = map_data(response)
    assert list(data["filters"]) == list(FILTERABLE_FIELDS) == list(data["choices"])
    sheffield = next(p for p in data["partnerships"] if p["slug"] == "learn-sheffield")
    in_the_api = client.get("/api/v1/partnerships/learn-sheffield/").json()
    for parameter, key in data["filters"].items():
        assert sheffield[key] == in_the_api[FILTERABLE_FIELDS[parameter]], parameter
    html = response.content.decode()
    for parameter in FILTERABLE_FIELDS:
        assert f'name="{parameter}"' in html, parameter
    assert 'name="role"' not in html and 'name="legal"' not in html


def test_old_map_addresses_redirect_to_the_apis_parameter_names(client, partnerships):
    response = client.get(
        "/?area=E12000003&role=schools_led&role=schools_and_la&legal=charity&la=E08000019"
    )
    assert response.status_code == 301
    assert response["Location"] == (
        "/?area=E12000003&la_role=schools_led,schools_and_la&legal_form=charity&la=E08000019"
    )
    assert client.get(response["Location"]).status_code == 200
    # A link that mixes both names keeps every value once renamed.
    mixed = client.get("/?la_role=mixed&role=schools_led&shade=role")
    assert mixed.status_code == 301
    assert mixed["Location"] == "/?la_role=mixed,schools_led&shade=role"


def test_partnership_page_shows_everything_known_and_its_sources(client, partnerships):
    response = client.get("/partnerships/learn-sheffield/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Learn Sheffield",
        "Schools and LA together",
        "School company",
        "company limited by guarantee without share capital, no. 09734238",
        "Member subscriptions, LA commission",
        "Declared membership: 184 members (Tes, 24 Nov 2025).",
        "Sheffield City Council",
        "owner (about 20%)",
        "Tes: What are area-based education partnerships?",
        "25 November 2026",
        "(latest evidence of its work: 2025)",
        "Learn Sheffield is a school company owned by schools and the council.",
        'href="/areas/E08000019/"',
    ]:
        assert text in html, text


def fact(html, label):
    """The HTML of one fact (its <dd>) in a page's facts list."""
    start = html.index(f"<dt>{label}</dt>")
    return html[start : html.index("</dd>", start)]


def test_each_fact_cites_the_sources_that_state_it(client, partnerships):
    html = client.get("/partnerships/cumbria-alliance-of-system-leaders/").content.decode()
    cited = '<a href="#source-1" aria-label="Source 1">1</a>'
    inferred = '<a href="#source-1" aria-label="Source 1, inferred">1 inferred</a>'
    assert cited in fact(html, "Founded") and cited in fact(html, "Legal form")
    assert inferred in fact(html, "Kind") and inferred in fact(html, "Areas covered")
    # Nothing is cited for a fact no source states, and an unread source supports nothing.
    assert "refs" not in fact(html, "Website") and "refs" not in fact(html, "Phases")
    assert 'href="#source-2"' not in html
    assert 'id="source-1"' in html and 'id="source-2"' in html
    assert "not read by us, so it supports nothing here" in html
    assert "dated " not in html.split('id="source-1"')[1].split("</li>")[0]  # undated page
    assert 'href="/about/#inference"' in html


def test_a_successor_is_named_and_linked_to_the_register(client, partnerships, register):
    trust = Trust.objects.order_by("uid").first()
    Partnership.objects.filter(slug="learn-sheffield").update(
        successor_relation="converted_to_trust", successor_name=trust.name, successor_year=2015
    )
    html = client.get("/partnerships/learn-sheffield/").content.decode()
    successor = html[html.index('id="successor"') :]
    assert "Converted into a multi-academy trust" in successor[:300]
    assert f'href="/trusts/{trust.uid}/"' in successor[:600] and "(2015)" in successor[:600]


def test_unverified_claims_are_labelled_as_such(client, partnerships):
    html = client.get("/partnerships/cumbria-alliance-of-system-leaders/").content.decode()
    assert (
        "Not yet verified:</strong> Whether it still operates after 2023 is not verified." in html
    )


def test_unpublished_partnerships_are_not_public(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert client.get("/partnerships/learn-sheffield/").status_code == 404


def test_area_page_without_register_says_so(client, partnerships):
    html = client.get("/areas/E08000019/").content.decode()
    assert "Learn Sheffield" in html
    assert "has not been loaded yet" in html


def test_area_page_redirects_other_codes_and_lists_successors(client, boundaries):
    assert client.get("/areas/373/").url == "/areas/E08000019/"
    assert client.get("/areas/E08000039/").url == "/areas/E08000019/"
    html = client.get("/areas/909/").content.decode()
    assert "Cumberland" in html and "Westmorland and Furness" in html
    assert client.get("/areas/E06999999/").status_code == 404


def test_area_landscape_from_the_register(client, partnerships, register):
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="learn-sheffield"),
        kind="trust",
        trust_id=9001,
        name="Example Multi-Academy Trust 1",
    )
    html = client.get("/areas/E09000011/").content.decode()  # Greenwich
    assert "Open schools</dt><dd>1</dd>" in html
    assert "Academies" in html and "Primary" in html
    assert "Example Multi-Academy Trust 1" in html
    assert "100% of open state-funded schools (1 of 1)" in html


def test_coverage_counts_schools_that_are_members_or_whose_trust_is(partnerships, register):
    partnership = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(
        partnership=partnership, kind="school", school_id=136671, name="Kirkbie Kendal School"
    )
    Membership.objects.create(
        partnership=partnership, kind="trust", trust_id=9001, name="Example MAT 1"
    )
    coverage = coverage_by_authority()
    kendal = coverage[LocalAuthority.objects.get(name="Westmorland and Furness").ons_code]
    # the nursery is not a member; CASL there does not say which schools it reaches
    assert (kendal["open_state_funded_schools"], kendal["named"], kendal["reached"]) == (2, 1, None)
    assert kendal["reach_known"] is False
    assert coverage["E09000011"]["named_member_share"] == 1.0  # Deansfield, through its trust
    assert coverage["E06000017"]["named"] == 0  # Rutland's academy is in trust 9002


def test_school_page_shows_its_trust_la_and_partnerships(client, partnerships, register):
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="learn-sheffield"),
        kind="trust",
        trust_id=9001,
        name="Example MAT 1",
    )
    html = client.get("/schools/143599/").content.decode()
    assert "Deansfield Primary School" in html
    assert 'href="/trusts/9001/"' in html
    assert "Learn Sheffield</a> (through its trust)" in html
    assert client.get("/schools/999999/").status_code == 404


def test_closed_school_says_so(client, register):
    assert (
        "This school is closed (since 31 October 2016)"
        in client.get("/schools/132837/").content.decode()
    )


def test_trust_page_shows_footprint_and_civic_role(client, partnerships, register):
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="cumbria-alliance-of-system-leaders"),
        kind="school",
        school_id=138950,
        name="St Thomas à Becket Catholic Secondary School",
    )
    html = client.get("/trusts/9001/").content.decode()
    trust = Trust.objects.get(uid=9001)
    assert trust.name in html
    for area in ["Greenwich", "Wakefield", "Bristol, City of"]:
        assert area in html
    assert "Cumbria Alliance of System Leaders</a> (through St Thomas" in html


def test_search_finds_schools_by_name_urn_and_postcode_and_trusts(client, register):
    School.objects.filter(urn=137358).update(postcode="LE15 6HQ")

    def labels(q):
        return [r["label"] for r in client.get("/api/v1/search/", {"q": q}).json()["results"]]

    assert labels("deansfield") == ["Deansfield Primary School (URN 143599, Greenwich)"]
    assert labels("137358") == ["Brooke Hill Academy (URN 137358, LE15 6HQ)"]
    assert labels("LE15") == ["Brooke Hill Academy (URN 137358, LE15 6HQ)"]
    assert labels("example multi") == [
        "Example Multi-Academy Trust 1 (trust 9001)",
        "Example Multi-Academy Trust 2 (trust 9002)",
        "Example Multi-Academy Trust 3 (trust 9003)",
    ]
    assert labels("de") == []


def test_regional_bodies_do_not_count_in_local_coverage(partnerships, register):
    school = School.objects.open().state_funded().select_related("local_authority").first()
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(partnership=sheffield, kind="school", school=school, name=school.name)
    assert coverage_by_authority()[school.local_authority.ons_code]["named"] == 1
    Partnership.objects.filter(pk=sheffield.pk).update(scope="regional")
    assert coverage_by_authority()[school.local_authority.ons_code]["named"] == 0


def test_area_page_lists_regional_bodies_apart(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(scope="regional", kind="network")
    html = client.get("/areas/E08000019/").content.decode()
    assert "No local partnership is recorded here yet" in html
    regional = html[html.index('id="regional-bodies"') :]
    assert "Learn Sheffield" in regional[: regional.index("</ul>")]


def test_trust_page_shows_the_partnerships_that_name_it(client, partnerships, register):
    trust = Trust.objects.first()
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(
        partnership=sheffield, kind="trust", trust=trust, name=trust.name, role="CEO on the board"
    )
    html = client.get(f"/trusts/{trust.uid}/").content.decode()
    assert "/partnerships/learn-sheffield/" in html and "CEO on the board" in html


def test_the_code_is_licensed_under_the_agpl():
    licence = (PROJECT_ROOT / "LICENSE").read_text()
    assert licence.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in licence
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in licence
    assert "END OF TERMS AND CONDITIONS" in licence
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]


def test_about_page_links_to_the_source_code(client, settings):
    settings.SOURCE_CODE_URL = "https://git.example.org/partnerships-map"
    html = client.get("/about/").content.decode()
    assert "GNU Affero General Public" in html
    assert (
        '<a href="https://git.example.org/partnerships-map">'
        "https://git.example.org/partnerships-map</a>" in html
    )


def test_about_page_without_a_source_address_says_the_source_is_on_request(client, settings):
    settings.SOURCE_CODE_URL = ""
    settings.CONTACT_EMAIL = "maps@example.org"
    html = client.get("/about/").content.decode()
    assert "source code is available on request" in html
    assert 'href="mailto:maps@example.org"' in html
    settings.CONTACT_EMAIL = ""
    html = client.get("/about/").content.decode()
    assert "source code is available on request" in html and 'href="/contact/"' in html


def test_accessibility_statement_claims_only_what_the_tests_show(client):
    """The statement once said the map's shapes "cannot be reached" by keyboard (each is a Tab
    stop) and that phones never scroll sideways (wide tables do, in their own box)."""
    html = " ".join(client.get("/accessibility/").content.decode().split())
    assert "cannot be reached" not in html
    assert "320 pixels wide" in html  # tests/browser/test_reflow.py
    # tests/browser/test_keyboard_map.py
    assert "in at most three presses of Tab" in html and "shapes are not Tab stops" in html
    assert "have to be scrolled sideways within their box" in html
