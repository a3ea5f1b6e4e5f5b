"""The map with the bundled curated data and research (issue 11 items 4 and 5): regional
bodies apart from local partnerships, the "What we know" shading, and the kind filter."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.factories import not_researched_without_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STOCKPORT, SHEFFIELD = "E08000007", "E08000019"
GM_BOARD = "Greater Manchester School Improvement Partnership Board"
# Included only in a regional body: no local partnership, hatched (not counted as local).
REGIONAL_ONLY = "url(#shade-regional-only)"


def open_map(page, url):
    page.goto(url)
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")


def path(page, code):
    return page.locator(f'#map path[data-code="{code}"]')


def test_a_regional_body_is_not_local_but_can_be_shown_as_its_own_layer(
    device_page, live_server, curated, la_research, no_serious_violations, show_filters
):
    page = device_page
    open_map(page, live_server.url + f"/?la={STOCKPORT}")
    # The GM board includes Stockport, yet Stockport is not counted: "regional body only".
    expect(path(page, STOCKPORT)).to_have_attribute("fill", REGIONAL_ONLY)
    # Sheffield has local partnerships: shaded by their reach, not hatched.
    expect(path(page, SHEFFIELD)).to_have_attribute("fill", re.compile(r"^#[0-9a-f]{6}$"))
    details = page.locator("#details")
    expect(details).to_contain_text("Researched: no local partnership found (1 November 2026)")
    expect(details).to_contain_text("Regional bodies that include this area")
    expect(details.get_by_role("button", name=GM_BOARD)).to_be_visible()
    expect(page.locator("#results li")).to_have_count(0)
    expect(page.locator("#legend")).to_contain_text("Regional bodies are not counted.")

    regional = page.locator(f'#map path[data-regional="{STOCKPORT}"]')
    expect(regional).to_have_count(0)
    page.get_by_label("Show regional bodies").check()
    expect(regional).to_have_count(1)
    expect(regional).to_have_attribute("fill", "url(#regional-hatch)")
    expect(page.locator("#regional-hatch")).to_be_attached()
    expect(page.locator('#map path[data-regional="E08000001"]')).to_have_count(1)  # Bolton
    expect(page.locator(f'#map path[data-regional="{SHEFFIELD}"]')).to_have_count(0)
    expect(page.locator("#legend")).to_contain_text("Included in a regional body")
    expect(path(page, STOCKPORT)).to_have_attribute("fill", REGIONAL_ONLY)  # still not local
    assert "regional=1" in page.url
    no_serious_violations(page)

    # The layer follows the filters: a filter that leaves no regional body clears it.
    show_filters(page)
    page.get_by_label("Kind of body").select_option("network")
    expect(page.locator("#map path[data-regional]")).to_have_count(12)  # Schools North East
    expect(regional).to_have_count(0)
    page.get_by_label("Show regional bodies").uncheck()
    expect(page.locator("#map path[data-regional]")).to_have_count(0)

    # Selecting the regional body from the area's details outlines its areas.
    page.get_by_label("Kind of body").select_option("")
    details.get_by_role("button", name=GM_BOARD).click()
    expect(details.locator("h2")).to_have_text(GM_BOARD)
    expect(details).to_contain_text("A regional body")
    expect(path(page, STOCKPORT)).to_have_attribute("stroke-width", "3")


def test_what_we_know_shading_follows_the_research_records(
    device_page, live_server, curated, la_research, no_serious_violations, show_filters
):
    page = device_page
    open_map(page, live_server.url + "/")
    page.get_by_label("What we know").check()
    expect(path(page, STOCKPORT)).to_have_attribute(
        "fill", "url(#shade-research-none-found)"
    )  # none found: dotted
    expect(path(page, SHEFFIELD)).to_have_attribute("fill", "#009E73")  # documented
    unresearched = not_researched_without_partnership()
    expect(path(page, unresearched.ons_code)).to_have_attribute(
        "fill", "url(#shade-research-not-researched)"
    )
    legend = page.locator("#legend")
    for label in (
        "A local partnership is documented",
        "Researched: no local partnership found",
        "Not researched yet",
    ):
        expect(legend).to_contain_text(label)
    expect(legend).not_to_contain_text("No research record yet")
    assert "shade=research" in page.url
    no_serious_violations(page)

    # The shading is what research found, not what the filters let through.
    show_filters(page)
    page.get_by_label("Status").select_option("ceased")
    expect(path(page, SHEFFIELD)).to_have_attribute("fill", "#009E73")
    page.get_by_role("combobox", name="Search").fill("Stockport")
    page.get_by_role("combobox", name="Search").press("Enter")
    expect(page.locator("#details")).to_contain_text("Researched: no local partnership found")

    fresh = page.context.new_page()
    open_map(fresh, live_server.url + "/?shade=research")
    expect(fresh.get_by_label("What we know")).to_be_checked()
    expect(path(fresh, STOCKPORT)).to_have_attribute("fill", "url(#shade-research-none-found)")
    fresh.close()


def test_what_we_know_says_when_no_research_record_is_loaded(page, live_server, partnerships):
    open_map(page, live_server.url + "/?shade=research")
    expect(path(page, STOCKPORT)).to_have_attribute("fill", "#ffffff")
    expect(page.locator("#legend")).to_contain_text("No research record yet")


def test_kind_and_reach_filters_narrow_the_list(page, live_server, curated):
    open_map(page, live_server.url + "/")
    published = Partnership.objects.published()
    total = published.count()
    programmes = published.filter(kind="programme")
    expect(page.locator("#results-count")).to_have_text(f"{total} of {total} partnerships match.")

    page.get_by_label("Kind of body").select_option(label="Programme")
    expect(page.locator("#results li")).to_have_count(programmes.count())
    expect(page.locator("#results-count")).to_have_text(
        f"{programmes.count()} of {total} partnerships match."
    )
    for programme in programmes:
        expect(page.locator("#results")).to_contain_text(programme.name)
    assert "kind=programme" in page.url

    page.get_by_label("Kind of body").select_option("")
    page.get_by_label("Schools reached").select_option(label="A named set of schools")
    named = published.filter(reach="named_schools").count()
    assert 0 < named < total
    expect(page.locator("#results li")).to_have_count(named)
    assert "reach=named_schools" in page.url

    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator("#results li")).to_have_count(total)
    expect(page.get_by_label("Kind of body")).to_have_value("")
    expect(page.get_by_label("Schools reached")).to_have_value("")


def test_coverage_shading_and_its_key_read_the_same_buckets(
    page, live_server, partnerships, register
):
    """Each area takes the colour the key gives its share, a share on a bound included:
    20% exactly is "20–40%", not "Under 20%"; an area whose reach is not known is "Not
    known", never a share (CASL in Westmorland and Furness names no reach)."""
    open_map(page, live_server.url + "/?shade=coverage")
    shading = "import('/static/js/map/shading.js')"
    buckets = page.evaluate(
        f"""async (shares) => {{
            const {{ coverageBucket }} = await {shading};
            return shares.map((share) => coverageBucket(share).label);
        }}""",
        [0, 0.1999, 0.2, 0.4, 0.6, 0.8, 1],
    )
    assert buckets == [
        "Under 20% of open state-funded schools in a partnership",
        "Under 20% of open state-funded schools in a partnership",
        "20–40%",
        "40–60%",
        "60–80%",
        "80% or more",
        "80% or more",
    ]
    expected = page.evaluate(
        f"""async () => {{
            const {{ coverageShade }} = await {shading};
            const coverage = JSON.parse(document.getElementById("map-data").textContent).coverage;
            return Object.entries(coverage).map(([code, c]) => [code, coverageShade(c)]);
        }}"""
    )
    assert expected
    labels = {bucket["label"] for _, bucket in expected}
    assert "Not known: a partnership here does not say which schools it reaches" in labels
    swatches = page.locator("#legend .swatch")
    expect(swatches).to_have_count(7)  # the fifths, not known, no schools recorded
    key = dict(zip(page.locator("#legend li").all_inner_texts(), range(7), strict=False))
    for code, bucket in expected:
        expect(path(page, code)).to_have_attribute("fill", bucket["colour"])
        expect(swatches.nth(key[bucket["label"]])).to_have_attribute(
            "style", f"background:{bucket['colour']}"
        )


def test_coverage_shading_says_when_the_register_is_not_loaded(page, live_server, partnerships):
    open_map(page, live_server.url + "/?shade=coverage")
    expect(page.locator("#legend")).to_have_text(
        "Coverage needs the school register, which is not loaded yet."
    )
    expect(path(page, SHEFFIELD)).to_have_attribute("fill", "#525252")
