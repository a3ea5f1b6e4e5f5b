"""Issue 24 item 3: a keyboard-sane map. The shapes are not Tab stops; the selection and
filters follow search in reading and Tab order; a search choice moves focus (and on a
phone, the scroll) to the details; at most 3 Tab stops from search to the selected area's
details."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_DETAILS = "() => !!document.activeElement.closest('#details')"


def tab_from(page, selector, presses=4):
    """The tag names Tab reaches from `selector`, one a press."""
    page.locator(selector).focus()
    reached = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.tagName"))
    return reached


def test_search_to_details_in_three_tab_stops_and_no_shape_is_one(
    device_page, live_server, curated, la_research, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    assert page.locator("#map path").count() >= 153

    search = page.get_by_role("combobox", name="Search")
    search.fill("Sheffield")
    search.press("Enter")
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Sheffield")
    # Focus moved to the details, and on a phone they were scrolled into view.
    assert page.evaluate(IN_DETAILS)
    box = details.bounding_box()
    viewport = page.viewport_size
    assert 0 <= box["y"] < viewport["height"] * 0.9, (box, viewport)
    no_serious_violations(page)

    # From the search box, Tab reaches the selected area's details in at most 3 stops.
    search.focus()
    stops = 0
    while not page.evaluate(IN_DETAILS):
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 3, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")

    # The filters follow the details and come before the map in reading and Tab order.
    order = page.evaluate(
        """() => ['#area-search', '#details', '#filters', '#map'].map(
            (s) => [...document.querySelectorAll('*')].indexOf(document.querySelector(s)))"""
    )
    assert order == sorted(order), order

    # The map is one stop: Tab from it goes to its zoom buttons, never into the shapes.
    assert "path" not in tab_from(page, "#map")


def test_shapes_on_partnership_and_area_pages_are_not_tab_stops(
    page, live_server, curated, la_research
):
    for url in ("/partnerships/learn-sheffield/", "/areas/E08000019/"):
        page.goto(live_server.url + url)
        expect(page.locator("#area-map path").first).to_be_attached()
        assert "path" not in tab_from(page, "#area-map"), url
