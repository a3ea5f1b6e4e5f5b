"""Which source says what, in a browser on a desktop and a phone: numbered references
beside each fact lead to the source that states it; the area page leads with what we know
(the summary and the council's role, each cited); and the map shades by the council's
role."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"


def fits_the_viewport(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_a_facts_reference_leads_to_its_source(
    device_page, live_server, partnerships, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/partnerships/cumbria-alliance-of-system-leaders/")
    founded = page.locator("dt:has-text('Founded') + dd")
    reference = founded.get_by_role("link", name="Source 1")
    expect(reference).to_be_visible()
    box = reference.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a target a thumb can hit
    expect(page.locator("dt:has-text('Kind') + dd")).to_contain_text("1 inferred")
    expect(page.locator("dt:has-text('Website') + dd .refs")).to_have_count(0)
    reference.click()
    assert page.url.endswith("#source-1")
    expect(page.locator("#source-1")).to_be_in_viewport()
    expect(page.locator("#source-2")).to_contain_text("not read by us, so it supports nothing")
    fits_the_viewport(page)
    no_serious_violations(page)


def test_the_area_page_leads_with_what_we_know(
    device_page, live_server, partnerships, la_research, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + f"/areas/{SHEFFIELD}/")
    # The headline figures, then what we know, whose summary starts on the first screen.
    headings = page.locator("main h2")
    expect(headings.first).to_have_text("Sheffield in figures")
    expect(headings.nth(1)).to_have_text("What we know about Sheffield")
    expect(page.locator("#research-summary")).to_be_in_viewport()
    role = page.locator("#council-role")
    expect(role).to_contain_text("A company the council owns or co-owns")
    role.get_by_role("link", name="Source 1").click()
    expect(page.locator("#research-source-1")).to_be_in_viewport()
    expect(page.locator("#research-source-1")).to_contain_text("dated 24 November 2025")
    fits_the_viewport(page)
    no_serious_violations(page)


def test_the_map_shades_areas_by_the_councils_role(
    device_page, live_server, partnerships, la_research, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    page.get_by_label("The council's school-improvement role").check()
    expect(page.locator(f'#map path[data-code="{SHEFFIELD}"]')).to_have_attribute("fill", "#E69F00")
    expect(page.locator('#map path[data-code="E08000007"]')).to_have_attribute("fill", "#bdbdbd")
    legend = page.locator("#legend")
    expect(legend).to_contain_text("A company the council owns or co-owns")
    expect(legend).to_contain_text("Not known")
    assert "shade=council" in page.url
    no_serious_violations(page)
