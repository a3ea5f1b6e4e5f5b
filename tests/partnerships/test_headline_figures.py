"""An area page's headline figures: each the area's, its region's and England's, counted here
again from the database by other means, "Not known" (never 0%) where the data does not say,
and built once per data version."""

import pytest
from django.db.models import Count

from geodata.models import LocalAuthority, School
from partnerships.comparison import england_profile
from partnerships.coverage import coverage_of
from partnerships.headline_figures import (
    figure_text,
    headline_figures,
    headline_figures_of,
)
from partnerships.models import Partnership
from tests.factories import CASL, LEARN_SHEFFIELD
from tests.partnerships.test_register_baseline import camden_learning, load

pytestmark = pytest.mark.django_db

CAMDEN, SHEFFIELD = "E09000007", "E08000019"
ACADEMY_TYPE_GROUPS = ("10", "11")


def open_state_funded(**where):
    return School.objects.open().state_funded().filter(**where)


def expected_figures(las):
    """The five figures of a set of LAs, counted directly. An LA's unknown reach matters
    only where it has schools."""
    where = {"local_authority__in": las}
    schools = open_state_funded(**where)
    total = schools.count()
    academies = schools.filter(type_group_code__in=ACADEMY_TYPE_GROUPS).count()
    coverages = [c for c in map(coverage_of, las) if c["open_state_funded_schools"]]
    reach_known = all(c["reach_known"] for c in coverages)
    reached = sum(c["reached"] or 0 for c in coverages)
    trusts = (
        School.objects.open()
        .filter(**where, trust__isnull=False)
        .values("trust")
        .distinct()
        .count()
    )
    partnerships = (
        Partnership.objects.filter(published=True, local_authorities__in=las)
        .exclude(scope=Partnership.Scope.REGIONAL)
        .distinct()
        .count()
    )
    return {
        "partnerships": figure_text(partnerships, "count"),
        "schools": figure_text(total, "count"),
        "academy_share": figure_text(academies / total if total else None, "share"),
        "reached_share": figure_text(reached / total if total and reach_known else None, "share"),
        "trusts": figure_text(trusts, "count"),
    }


@pytest.fixture
def with_camden_learning(boundaries, tmp_path):
    """The two test partnerships and the real Camden Learning record (all Camden's schools)."""
    load(tmp_path, LEARN_SHEFFIELD, CASL, camden_learning())


def areas(**where):
    return LocalAuthority.objects.filter(**where)


def shown(area, place):
    return {row["key"]: row[place] for row in headline_figures_of(area)["rows"]}


def second_area():
    """The area other than Camden with most open state-funded schools in the sample."""
    row = (
        open_state_funded()
        .exclude(local_authority__ons_code=CAMDEN)
        .values("local_authority")
        .annotate(n=Count("urn"))
        .order_by("-n")
        .first()
    )
    return LocalAuthority.objects.get(pk=row["local_authority"])


def test_area_region_and_england_figures_match_counts_made_directly(with_camden_learning, baseline):
    camden = LocalAuthority.objects.get(ons_code=CAMDEN)
    other = second_area()
    for area in (camden, other):
        assert shown(area, "area") == expected_figures(areas(pk=area.pk))
        assert shown(area, "region") == expected_figures(areas(region=area.region)), area.region
    everywhere = expected_figures(areas())
    # England's partnerships are all published local ones, whatever their areas.
    everywhere["partnerships"] = figure_text(
        Partnership.objects.published().local().count(), "count"
    )
    assert shown(camden, "england") == everywhere
    # Not trivial: Camden Learning reaches every one of Camden's schools; some are academies.
    assert shown(camden, "area")["reached_share"] == "100%"
    assert shown(camden, "area")["academy_share"] not in ("0%", "Not known")
    assert shown(camden, "region")["reached_share"] not in ("0%", "100%", "Not known")


def test_england_is_the_figure_the_comparison_gives(partnerships, baseline):
    """One England figure across the product: the comparison's, reused, not recounted."""
    england = england_profile()
    figures = headline_figures()["E92000001"]
    assert figures["schools"] == england["schools"]["open_state_funded"]
    assert figures["academy_share"] == england["schools"]["share"]
    assert figures["reached_share"] == england["coverage"]["reached_share"]
    assert figures["partnerships"] == england["local_partnerships"]


def test_unknown_figures_say_not_known_never_zero(boundaries, baseline, tmp_path):
    """Camden Learning reaching "members only" while naming none: Camden's, London's and
    England's reached shares are not known; an area without schools has no academy share."""
    load(tmp_path, LEARN_SHEFFIELD, camden_learning(reach="members_only", members=[]))
    camden = LocalAuthority.objects.get(ons_code=CAMDEN)
    for place in ("area", "region", "england"):
        assert shown(camden, place)["reached_share"] == "Not known", place
    assert shown(camden, "area")["schools"] == expected_figures(areas(pk=camden.pk))["schools"]
    empty = areas(ons_code=SHEFFIELD).get()
    assert not open_state_funded(local_authority=empty).exists()
    assert shown(empty, "area")["schools"] == "0"
    assert shown(empty, "area")["academy_share"] == "Not known"


def test_without_a_register_school_figures_are_not_known(partnerships):
    sheffield = LocalAuthority.objects.get(ons_code=SHEFFIELD)
    area = shown(sheffield, "area")
    assert area["partnerships"] == "1"
    for key in ("schools", "academy_share", "reached_share", "trusts"):
        assert area[key] == "Not known"
        assert shown(sheffield, "england")[key] == "Not known"


def test_figure_text():
    assert figure_text(None, "share") == figure_text(None, "count") == "Not known"
    assert figure_text(21977, "count") == "21,977"
    assert figure_text(0.004, "share") == "under 1%"
    assert figure_text(0.0, "share") == "0%"  # known to be none
    assert figure_text(0.996, "share") == "over 99%"
    assert figure_text(0.4249, "share") == "42%"


def test_built_once_per_data_version(with_camden_learning, baseline, django_assert_max_num_queries):
    camden = LocalAuthority.objects.select_related("region").get(ons_code=CAMDEN)
    headline_figures_of(camden)
    # Only the data version's reads (one per kept answer used, in a test's transaction).
    with django_assert_max_num_queries(3):
        headline_figures_of(camden)
    # A change moves the data version: the figures follow it.
    Partnership.objects.filter(local_authorities=camden).update(published=False)
    assert shown(camden, "area")["partnerships"] == "0"


def test_area_page_shows_the_headline_figures(client, with_camden_learning, baseline):
    page = client.get(f"/areas/{CAMDEN}/").content.decode()
    assert 'id="headline-figures"' in page
    assert page.index('id="headline-figures"') < page.index('id="research"')
    assert "Camden in figures" in page and "<dt>London</dt>" in page and "<dt>England</dt>" in page
    assert page.count('class="headline-value"') == 5
    schools = expected_figures(areas(ons_code=CAMDEN))["schools"]
    assert f'<span class="visually-hidden">Camden: </span>{schools}</p>' in page
