"""The census baseline as the public sees it: coverage by reach, trusts by name and their
reconciliation with GIAS, search that finds places, and the postcode API."""

import json

import pytest
from django.core.cache import caches

from geodata.importers.gias import import_gias_file
from geodata.importers.gias_links import import_links_file
from geodata.models import BASELINE_TRUST_UID_START, LocalAuthority, School, Trust
from partnerships.coverage import coverage_by_authority, coverage_of
from partnerships.curated import CURATED_FILE, CuratedDataError, load_curated_partnerships
from partnerships.models import Membership, Partnership
from partnerships.provenance import PARTNERSHIP_CLAIMS
from partnerships.views import map_data
from tests.geodata.gias_files import SAMPLE, edited_extract

pytestmark = pytest.mark.django_db
LINKS_FILE = CURATED_FILE.parent.parent / "gias" / "links_edubasealldata_20250727.csv"


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()


def camden_learning(**changes):
    """The real Camden Learning record of the curated data set, with `changes`."""
    records = json.loads(CURATED_FILE.read_text(encoding="utf-8"))
    record = next(r for r in records if r["slug"] == "camden-learning")
    # The test's changes are claims too: its first source is taken to state them.
    first = record["sources"][0]
    said = {*first.get("supports", []), *(n for n in changes if n in PARTNERSHIP_CLAIMS)}
    first = {**first, "checked": True, "supports": sorted(said)}
    return {**record, **changes, "sources": [first, *record["sources"][1:]]}


def load(tmp_path, *records):
    path = tmp_path / "partnerships.json"
    path.write_text(json.dumps(list(records)))
    return load_curated_partnerships(path)


def camden():
    return LocalAuthority.objects.get(dfe_code="202")


def test_all_schools_reach_covers_every_state_funded_school_of_its_area(baseline, tmp_path):
    load(tmp_path, camden_learning(reach="all_schools"))
    coverage = coverage_of(camden())
    assert coverage == {
        "open_state_funded_schools": 59,
        "reach_known": True,
        "reach_not_known_from": [],
        "reached": 59,
        "named": 0,
        "reached_share": 1.0,
        "named_member_share": 0.0,
    }
    assert map_data()["coverage"]["E09000007"]["reached_share"] == 1.0
    assert coverage_by_authority()["E09000011"]["reached"] == 0  # Greenwich: not its area


def test_phases_reach_covers_only_the_schools_of_its_phases(baseline, tmp_path):
    load(tmp_path, camden_learning(reach="phases", phases=["primary"]))
    primaries = School.objects.open().state_funded().filter(local_authority=camden())
    assert coverage_of(camden())["reached"] == primaries.filter(phase="Primary").count() == 40


def test_regional_partnerships_and_unknown_reach_do_not_count_as_reaching(baseline, tmp_path):
    load(tmp_path, camden_learning(reach="all_schools", scope="regional"))
    assert coverage_of(camden())["reached"] == 0
    member = {"kind": "school", "name": "Thomas Coram Centre", "identifier": 100005}
    record = camden_learning(members=[member])
    record.pop("reach", None)
    load(tmp_path, record)
    assert Partnership.objects.get(slug="camden-learning").reach == "unknown"
    # Reach not known: how many it reaches is not known either (not 1, not 0%).
    assert (coverage_of(camden())["reached"], coverage_of(camden())["named"]) == (None, 1)


COUNCIL = {"kind": "local_authority", "name": "Camden", "identifier": "E09000007", "role": ""}


@pytest.mark.parametrize("members", [[], [COUNCIL]], ids=["no members", "only the council"])
def test_reach_not_known_is_said_so_in_the_api_map_and_area_page(
    client, baseline, tmp_path, members
):
    """A partnership reaching "members only" while naming no school or trust (Learn
    Sheffield's case: its one named member is the council) leaves the area's reach not
    known: never "0%" or "0 of 59"."""
    load(tmp_path, camden_learning(reach="members_only", members=members))
    coverage = coverage_of(camden())
    assert (coverage["reach_known"], coverage["reached"], coverage["reached_share"]) == (
        False,
        None,
        None,
    )
    assert coverage["reach_not_known_from"] == ["Camden Learning"]
    assert coverage["named"] == 0 and coverage["named_member_share"] == 0.0
    shading = map_data()["coverage"]["E09000007"]
    assert (shading["share"], shading["reach_known"]) == (None, False)
    assert coverage_by_authority()["E09000011"]["reach_known"] is True  # Greenwich
    api = client.get("/api/v1/local-authorities/E09000007/").json()["coverage"]
    assert (api["reach_known"], api["reached"], api["reached_share"]) == (False, None, None)
    html = client.get("/areas/E09000007/").content.decode()
    reached = html.split("<dt>Reached by a local partnership</dt>")[1].split("</dd>")[0]
    assert "Not known: Camden Learning does not say which schools it reaches" in reached
    assert "%" not in reached and "of 59" not in reached


def test_trust_members_named_by_census_name_count_their_schools(baseline, tmp_path):
    member = {"kind": "trust", "name": "King's Cross Academy Trust", "identifier": None}
    load(tmp_path, camden_learning(reach="members_only", members=[member]))
    membership = Membership.objects.get(kind="trust")
    assert membership.trust.name == "KING'S CROSS ACADEMY TRUST"
    assert (coverage_of(camden())["named"], coverage_of(camden())["reached"]) == (1, 1)


def test_unknown_trust_name_waits_and_a_bad_reach_fails_clearly(baseline, tmp_path):
    with pytest.raises(CuratedDataError, match="reach 'everyone' is not one of"):
        load(tmp_path, camden_learning(reach="everyone"))
    assert not Partnership.objects.exists()
    # A trust the register does not hold yet is left out (and linked on a later load).
    member = {"kind": "trust", "name": "No Such Trust", "identifier": None}
    load(tmp_path, camden_learning(members=[member]))
    assert not Partnership.objects.get(slug="camden-learning").members.filter(kind="trust")


def test_area_page_api_and_school_page_say_where_records_come_from(client, baseline, tmp_path):
    load(tmp_path, camden_learning(reach="all_schools"))
    html = client.get("/areas/E09000007/").content.decode()
    assert "Open schools</dt><dd>90</dd>" in html
    assert "100% of open state-funded schools (59 of 59)" in html
    assert "DfE school census, January 2023 (90 schools)" in html
    detail = client.get("/api/v1/local-authorities/E09000007/").json()
    assert detail["coverage"]["reached_share"] == 1.0
    assert detail["coverage"]["open_state_funded_schools"] == 59
    school = client.get("/api/v1/schools/100005/").json()
    assert (school["record"], school["as_of"]) == ("DfE school census, January 2023", "2023-01-19")
    assert (
        "<dt>Record</dt><dd>DfE school census, January 2023"
        in client.get("/schools/100005/").content.decode()
    )


def test_baseline_school_shows_its_successor(client, baseline):
    assert import_links_file(LINKS_FILE).status == "succeeded"
    html = client.get("/schools/100068/").content.decode()
    assert "the school has been replaced" in html and "URN 100071" in html


def gias_with_census_trust_names(folder):
    """The GIAS sample with its placeholder trusts named as the census names them."""
    names = {"9001": "The Compass Partnership of Schools", "9002": "Brooke Hill Academy Trust"}

    def rename(rows):
        for row in rows:
            if row["Trusts (code)"] in names:
                row["Trusts (name)"] = names[row["Trusts (code)"]]
        return rows

    return edited_extract(folder, name="edubasealldata20251124.csv", edit=rename)


def test_gias_import_reconciles_baseline_trusts(
    client, baseline, tmp_path, django_user_model, django_capture_on_commit_callbacks
):
    compass = Trust.objects.get(name="THE COMPASS PARTNERSHIP OF SCHOOLS")
    assert compass.uid >= BASELINE_TRUST_UID_START
    load(tmp_path, camden_learning())
    partnership = Partnership.objects.get(slug="camden-learning")
    moderator = django_user_model.objects.create(username="moderator")
    membership = Membership(
        partnership=partnership, kind="trust", trust=compass, name="Compass Partnership"
    )
    membership._history_user = moderator
    membership.save()
    assert client.get(f"/trusts/{compass.uid}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # memberships follow on commit
        run = import_gias_file(gias_with_census_trust_names(tmp_path), force=True)
    assert run.status == "succeeded", run.message
    assert "2 census trusts matched" in run.message

    compass.refresh_from_db()
    assert compass.superseded_by_id == 9001
    response = client.get(f"/trusts/{compass.uid}/")
    assert (response.status_code, response.url) == (301, "/trusts/9001/")
    api = client.get(f"/api/v1/trusts/{compass.uid}/")
    assert api.status_code == 301 and api.url.endswith("/api/v1/trusts/9001/")
    membership.refresh_from_db()
    assert membership.trust_id == 9001
    assert membership.history.first().history_change_reason.startswith("Moved to the GIAS")
    assert membership.history.filter(history_user=moderator).exists()
    assert School.objects.get(urn=143599).trust_id == 9001
    brooke = Trust.objects.get(name="BROOKE HILL ACADEMY TRUST LIMITED")
    assert brooke.superseded_by_id == 9002  # "Limited" and case do not matter
    uids = [t["uid"] for t in client.get("/api/v1/trusts/", {"page_size": 500}).json()["results"]]
    assert 9001 in uids and compass.uid not in uids
    assert 'href="/trusts/9001/"' in client.get("/areas/E09000011/").content.decode()


def search(client, q):
    response = client.get("/api/v1/search/", {"q": q})
    assert response.status_code == 200
    return response.json()


def test_search_finds_former_authorities_postcodes_schools_and_trusts(client, baseline, postcodes):
    cumbria = search(client, "Cumbria")["results"]
    areas = [r for r in cumbria if r["kind"] == "area"]
    assert [r["la"] for r in areas] == ["E06000063", "E06000064"]
    assert areas[0]["label"] == "Cumbria (former authority): now Cumberland"
    for code, successors in [("909", 2), ("928", 2), ("E10000006", 2), ("837", 1)]:
        found = search(client, code)["results"]
        assert len(found) == successors and {r["kind"] for r in found} == {"area"}
    poole = search(client, "Poole")["results"]
    assert {"kind": "area", "la": "E06000058"}.items() <= poole[1].items()
    assert "Poole (former authority)" in poole[1]["label"]
    assert search(client, "s12he")["results"] == [
        {
            "kind": "postcode",
            "label": "S1 2HE: Sheffield",
            "url": "/areas/E08000019/",
            "la": "E08000019",
            "postcode": "S1 2HE",
            "note": "",
        }
    ]
    kinds = {r["kind"] for r in search(client, "camden")["results"]}
    assert kinds == {"area", "school"}
    trust = search(client, "king's cross academy")["results"]
    assert trust[0]["kind"] == "trust" and trust[0]["la"] is None
    assert client.get(trust[0]["url"]).status_code == 200


def test_search_says_when_nothing_is_found(client, baseline, postcodes):
    nothing = search(client, "zzyzx")
    assert nothing["results"] == [] and "Nothing found for “zzyzx”" in nothing["message"]
    scottish = search(client, "EH1 1YZ")
    assert scottish["results"] == [] and "is in Scotland" in scottish["message"]
    too_long = client.get("/api/v1/search/", {"q": "x" * 101})
    assert too_long.status_code == 400 and "q" in too_long.json()


def test_postcode_api_answers_any_spelling_with_its_area(client, postcodes):
    for spelling in ["s12he", "S1  2HE", "S1 2HE"]:
        response = client.get(f"/api/v1/postcodes/{spelling}/")
        assert response.status_code == 200
        body = response.json()
        assert body["postcode"] == "S1 2HE" and body["terminated"] is None
        assert (body["match"], body["sector"], body["note"]) == ("postcode", "S1 2", "")
        assert body["sector_local_authorities"] == []
        la = body["local_authority"]
        assert (la["ons_code"], la["dfe_code"], la["name"]) == ("E08000019", "373", "Sheffield")
        assert la["page"] == "http://testserver/areas/E08000019/"
    unknown = client.get("/api/v1/postcodes/ZZ99ZZ/")
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("ZZ9 9ZZ is not a known English postcode")
    assert client.get("/api/v1/postcodes/CF10 1AA/").status_code == 404
    garbage = client.get("/api/v1/postcodes/not-a-postcode/")
    assert garbage.status_code == 400 and "is not a postcode" in garbage.json()["postcode"][0]


def test_an_unknown_postcode_leads_to_the_la_its_sector_lies_in(client, postcodes):
    """MK40 1SJ is not in the postcode data, but every known postcode of MK40 1 is in
    Bedford: search and API lead there, saying why. NW1 4ZZ's sector spans Camden and
    Westminster: both are offered, neither chosen."""
    bedford = {"kind": "postcode", "la": "E06000055", "postcode": "MK40 1SJ"}
    note = "MK40 1SJ is not in our postcode data; every known postcode in MK40 1 is in Bedford."
    found = search(client, "mk40 1sj")
    assert found["message"] is None
    [result] = found["results"]
    assert {key: result[key] for key in bedford} == bedford
    assert result["label"] == "MK40 1SJ: Bedford (all of MK40 1 is there)"
    assert result["note"] == note and result["url"] == "/areas/E06000055/"
    body = client.get("/api/v1/postcodes/MK401SJ/").json()
    assert (body["match"], body["sector"], body["note"]) == ("sector", "MK40 1", note)
    assert body["local_authority"]["ons_code"] == "E06000055"
    assert [la["name"] for la in body["sector_local_authorities"]] == ["Bedford"]

    spanning = search(client, "NW1 4ZZ")["results"]
    assert [(r["la"], r["label"]) for r in spanning] == [
        ("E09000007", "NW1 4ZZ: Camden (part of NW1 4 is there)"),
        ("E09000033", "NW1 4ZZ: Westminster (part of NW1 4 is there)"),
    ]
    assert spanning[0]["note"] == (
        "NW1 4ZZ is not in our postcode data; known postcodes in NW1 4 lie in Camden and "
        "Westminster."
    )
    body = client.get("/api/v1/postcodes/nw14zz/").json()
    assert (body["match"], body["local_authority"]) == ("sector", None)
    assert [la["ons_code"] for la in body["sector_local_authorities"]] == [
        "E09000007",
        "E09000033",
    ]
    # A known postcode is still its own answer, even in a sector that spans LAs.
    assert client.get("/api/v1/postcodes/NW14AQ/").json()["local_authority"]["name"] == (
        "Westminster"
    )
    # A sector with no known postcode is still a dead end, said plainly.
    assert client.get("/api/v1/postcodes/ZZ99ZZ/").status_code == 404


def test_schools_missing_from_the_extract_leave_area_counts_and_coverage(
    client, baseline, tmp_path
):
    """Camden's 90 baseline schools are absent from the GIAS sample: once it is imported
    they are shown as missing, and no longer counted as open anywhere."""
    load(tmp_path, camden_learning(reach="all_schools"))
    assert coverage_of(camden())["open_state_funded_schools"] == 59  # state-funded
    page = client.get("/areas/E09000007/").content.decode()
    assert "<dt>Open schools</dt><dd>90</dd>" in page
    assert import_gias_file(SAMPLE, force=True).status == "succeeded"
    assert School.objects.filter(local_authority=camden(), missing_since__isnull=True).count() == 0
    assert coverage_of(camden())["open_state_funded_schools"] == 0
    assert "E09000007" not in coverage_by_authority()
    page = client.get("/areas/E09000007/").content.decode()
    assert "<dt>Open schools</dt><dd>0</dd>" in page
    school = client.get("/schools/100005/").content.decode()
    assert "Missing from the latest register extract since 24 November 2025" in school
    assert "This school is closed" not in school
