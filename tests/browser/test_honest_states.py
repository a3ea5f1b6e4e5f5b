"""Issue 24 item 4: the map says only what we know. "No local partnership found" only
where research found none (with its date); "Not researched yet" where nobody looked;
"None matching the filters" when the filters hide an area's partnerships; coverage "not
known" where a partnership does not say which schools it reaches, never "0%"."""

import pytest
from playwright.sync_api import expect

from geodata.models import LocalAuthority
from tests.factories import not_researched_without_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STOCKPORT, SHEFFIELD = "E08000007", "E08000019"


def open_map(page, url):
    page.goto(url)
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")


def path(page, code):
    return page.locator(f'#map path[data-code="{code}"]')


def test_none_found_only_where_research_found_none(
    device_page, live_server, curated, la_research, no_serious_violations, show_filters
):
    page = device_page
    unresearched = not_researched_without_partnership()
    open_map(page, live_server.url + f"/?la={unresearched.ons_code}")
    details = page.locator("#details")
    expect(details.locator("h3").first).to_have_text(
        "Not researched yet: no local partnership is recorded here"
    )
    expect(details).not_to_contain_text("partnership found", ignore_case=True)
    expect(path(page, unresearched.ons_code)).to_have_attribute(
        "fill", "url(#shade-not-researched)"
    )
    legend = page.locator("#legend")
    expect(legend).to_contain_text("Not researched yet")
    # The key says "found" only of research that found none (Stockport).
    for item in legend.locator("li").all_inner_texts():
        if "found" in item.lower():
            assert item == "Researched: no local partnership found", item
    no_serious_violations(page)

    page.get_by_role("combobox", name="Search").fill("Stockport")
    page.get_by_role("combobox", name="Search").press("Enter")
    expect(details.locator("h3").first).to_have_text(
        "Researched: no local partnership found (1 November 2026)"
    )
    # Research found none; a regional body includes it: shown hatched, not as local.
    expect(path(page, STOCKPORT)).to_have_attribute("fill", "url(#shade-regional-only)")

    # Filters that hide Sheffield's partnership say so, not "none found".
    show_filters(page)
    page.get_by_label("Status").select_option("ceased")
    expect(path(page, SHEFFIELD)).to_have_attribute("fill", "#737373")
    expect(legend).to_contain_text("None matching the filters")
    open_map(page, live_server.url + f"/?la={SHEFFIELD}&status=ceased")
    expect(details.locator("h3").first).to_have_text("No partnership here matches the filters")
    no_serious_violations(page)


def test_coverage_not_known_is_said_in_the_panel_key_and_shading(
    device_page, live_server, partnerships, register, no_serious_violations
):
    """CASL covers Westmorland and Furness without saying which schools it reaches."""
    page = device_page
    area = LocalAuthority.objects.get(name="Westmorland and Furness")
    open_map(page, live_server.url + f"/?la={area.ons_code}&shade=coverage")
    reached = page.locator("#details dt:has-text('Reached by a local partnership') + dd")
    expect(reached).to_have_text(
        "Not known: a partnership here does not say which schools it reaches"
    )
    expect(path(page, area.ons_code)).to_have_attribute("fill", "#bdbdbd")
    legend = page.locator("#legend")
    expect(legend).to_contain_text("Not known: a partnership here does not say which schools")
    expect(legend).to_contain_text("No open state-funded schools recorded")
    no_serious_violations(page)

    page.goto(live_server.url + f"/areas/{area.ons_code}/")
    reached = page.locator("dt:has-text('Reached by a local partnership') + dd")
    expect(reached).to_contain_text("Not known:")
    expect(reached).to_contain_text("does not say which schools it reaches")
    expect(reached).not_to_contain_text("%")
    no_serious_violations(page)
