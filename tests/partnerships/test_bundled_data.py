"""The bundled curated data set as a whole: the issue's targets, the regional rule and a
second load writing nothing."""

import pytest

from partnerships.curated import CURATED_FILE, load_curated_partnerships
from partnerships.map_data import map_data
from partnerships.models import LAResearch, Membership, Partnership
from partnerships.research import load_la_research

pytestmark = pytest.mark.django_db
GM_BOARD = "greater-manchester-school-improvement-partnership-board"
# Areas a regional body (or a neighbour's partnership) used to shade as locally covered.
NOT_COVERED_BY_A_REGIONAL_BODY = {
    "E08000007": "Stockport",
    "E08000001": "Bolton",
    "E08000002": "Bury",
    "E08000005": "Rochdale",
    "E08000008": "Tameside",
    "E08000009": "Trafford",
    "E09000010": "Enfield",
}


def test_at_least_100_published_and_85_las_with_a_documented_local_partnership(
    curated, la_research
):
    published = Partnership.objects.published()
    assert published.count() >= 100
    assert all(p.last_verified and p.sources.exists() for p in published)
    documented = LAResearch.objects.with_status().filter(has_local_partnership=True)
    assert documented.count() >= 85
    assert LAResearch.objects.count() == 153


def test_regional_bodies_do_not_cover_an_area_locally(client, curated, la_research):
    for code, name in NOT_COVERED_BY_A_REGIONAL_BODY.items():
        local = Partnership.objects.published().local().filter(local_authorities__ons_code=code)
        assert GM_BOARD not in local.values_list("slug", flat=True), name
        assert "haringey-education-partnership" not in local.values_list("slug", flat=True)
    haringey = Partnership.objects.get(slug="haringey-education-partnership")
    assert "Enfield" not in haringey.local_authorities.values_list("name", flat=True)
    stockport = LAResearch.objects.with_status().get(local_authority__ons_code="E08000007")
    assert stockport.status == "none_found"
    for code in ["E08000002", "E08000005", "E08000008", "E08000009"]:
        research = LAResearch.objects.with_status().get(local_authority__ons_code=code)
        assert research.status != "documented"
    embedded = {p["slug"]: p for p in map_data()["partnerships"]}
    assert embedded[GM_BOARD]["regional"] and embedded["schools-north-east"]["regional"]
    assert not embedded["learn-sheffield"]["regional"]
    html = client.get("/areas/E08000007/").content.decode()
    regional = html[html.index('id="regional-bodies"') :]
    assert "Regional bodies that include this area" in html
    assert "Greater Manchester" in regional[: regional.index("</ul>")]
    assert 'id="local-partnerships"' not in html


def test_a_second_load_of_the_whole_data_set_writes_nothing(curated, la_research):
    history = (Partnership.history.count(), Membership.history.count(), LAResearch.history.count())
    report = load_curated_partnerships(CURATED_FILE)
    assert not report.created and not report.updated
    assert len(report.unchanged) == Partnership.objects.count()
    research = load_la_research()
    assert not research.created and not research.updated
    assert history == (
        Partnership.history.count(),
        Membership.history.count(),
        LAResearch.history.count(),
    )


def test_every_status_follows_the_written_rule(curated):
    from partnerships.models import status_from_evidence

    for partnership in Partnership.objects.all():
        if partnership.status != "ceased":
            expected = status_from_evidence(
                partnership.evidence_year, partnership.last_verified.year
            )
            assert partnership.status == expected, partnership.slug
