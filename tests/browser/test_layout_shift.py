"""Nothing moves as a page fills in, on a phone (issue 21, "Phones first"): the cumulative
layout shift the browser reports (`PerformanceObserver`, `layout-shift`) stays within
Lighthouse's "good" bar of 0.05 while what loads late arrives.

A fast local server delivers everything before the first paint, where no shift can be
seen; a phone on a slow network paints the page first. So each test holds back what fills
in later (Leaflet, the boundaries, the similar areas) until the page has painted, then
lets it through and waits for it to be drawn. Every shift counts, `hadRecentInput` or not:
the browser takes Playwright's scripted calls for input, and no test here types or taps.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"
LATE = re.compile(r"(/static/leaflet/leaflet\.js|/map-data/|/similar/)")

OBSERVE = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      sources: entry.sources.map(
        (s) => (s.node && (s.node.id || s.node.className || s.node.nodeName)) || "?"
      ),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def load_late(page, url):
    """Open `url` with Leaflet, the boundaries and similar areas held back until the page
    has painted; returns once they have been let through."""
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(LATE, hold)
    page.add_init_script(OBSERVE)
    page.goto(url, wait_until="commit")
    # Parsed (deferred scripts, Leaflet first, wait for it), then painted.
    page.wait_for_function("document.readyState !== 'loading'")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
    assert held, "nothing was held back: the test would show no late arrival"
    released.append(True)
    for route in held:
        route.continue_()


def layout_shift(page):
    page.wait_for_timeout(500)  # the last frame's shifts are reported
    shifts = page.evaluate("window.__shifts")
    return sum(s["value"] for s in shifts), shifts


def test_the_embed_does_not_move_as_its_map_starts(phone_page, live_server, partnerships):
    """The embed's map box is the same height before and after Leaflet starts (it grew by
    a third as Leaflet's class gave it the area page's map height: CLS 0.033 in
    Lighthouse's mobile run), so what is under it stays put."""
    page = phone_page
    load_late(page, f"{live_server.url}/embed/areas/{SHEFFIELD}/")
    expect(page.locator("#area-map[data-loaded='1']")).to_be_attached()
    total, shifts = layout_shift(page)
    assert total < 0.01, shifts
    assert page.locator("#area-map").bounding_box()["height"] == pytest.approx(260, abs=1)


def test_the_area_page_does_not_move_as_its_map_and_similar_areas_fill_in(
    phone_page, live_server, partnerships, indicators
):
    page = phone_page
    load_late(page, f"{live_server.url}/areas/{SHEFFIELD}/")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#similar-results tbody tr")).to_have_count(10)
    total, shifts = layout_shift(page)
    assert total <= 0.05, shifts


def test_the_area_page_opened_at_its_timeline_stays_there(
    phone_page, live_server, partnerships, indicators
):
    """Opened at the timeline (below the similar areas), the similar areas filling in above
    it do not push it down the screen."""
    page = phone_page
    load_late(page, f"{live_server.url}/areas/{SHEFFIELD}/#timeline")
    expect(page.locator("#similar-results tbody tr")).to_have_count(10)
    total, shifts = layout_shift(page)
    assert total <= 0.05, shifts
    top = page.locator("#timeline-heading").bounding_box()["y"]
    assert 0 <= top < 200


def test_the_map_page_does_not_move_as_the_map_fills_in(
    phone_page, live_server, curated, la_research
):
    page = phone_page
    load_late(page, live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    total, shifts = layout_shift(page)
    assert total <= 0.05, shifts
