"""Area names on the map where there is no basemap (issue 22, part 4): tests run without
one (`MAP_TILE_URL=""`). Names show at readable zooms, none at England-wide zoom, never
over each other, and add nothing to the Tab order or to what a screen reader hears."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"

FOCUSABLE_IN_MAP = """
(selector) => [...document.querySelector(selector).querySelectorAll(
  'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'
)].filter((element) => !element.closest("[hidden]")).length
"""

SHOWN_LABELS = """
(selector) => [...document.querySelectorAll(selector + " .area-label span")].map((span) => {
  const box = span.getBoundingClientRect();
  const { left, right, top, bottom } = box;
  return { name: span.textContent, left, right, top, bottom };
})
"""


def overlapping(labels):
    return [
        (a["name"], b["name"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


def test_map_names_areas_when_zoomed_in_not_england_wide(
    device_page, live_server, curated, la_research, no_serious_violations, show_filters
):
    page = device_page
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    expect(page.locator("#map")).to_have_class(re.compile("no-basemap"))
    assert page.evaluate(SHOWN_LABELS, "#map") == []  # England-wide: the shading alone
    stops_before = page.evaluate(FOCUSABLE_IN_MAP, "#map")

    show_filters(page)
    page.get_by_label("Area", exact=True).select_option(SHEFFIELD)
    expect(page.locator("#map .area-label", has_text="Sheffield")).to_be_visible()
    labels = page.evaluate(SHOWN_LABELS, "#map")
    assert len(labels) > 3, labels  # its neighbours too
    assert not overlapping(labels)
    # Names are not Tab stops, and are hidden from assistive technology (each area's name
    # is its shape's tooltip and is in the lists and the table).
    assert page.evaluate(FOCUSABLE_IN_MAP, "#map") == stops_before
    expect(page.locator("#map .leaflet-area-labels-pane")).to_have_attribute("aria-hidden", "true")
    assert page.locator("#map .area-label[tabindex]").count() == 0
    no_serious_violations(page)

    # Out to the widest zoom: the names go.
    zoom_out = page.locator("#map .leaflet-control-zoom-out")
    for _ in range(12):
        if "leaflet-disabled" in (zoom_out.get_attribute("class") or ""):
            break
        zoom_out.click()
        page.wait_for_timeout(400)  # Leaflet drops a zoom asked for during its animation
    expect(page.locator("#map .area-label")).to_have_count(0)


def test_a_partnerships_map_names_its_area_and_the_neighbours(
    device_page, live_server, partnerships, no_serious_violations
):
    page = device_page
    page.goto(f"{live_server.url}/partnerships/learn-sheffield/")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#area-map .area-label", has_text="Sheffield")).to_be_attached()
    labels = page.evaluate(SHOWN_LABELS, "#area-map")
    assert {"Sheffield", "Barnsley"} <= {label["name"] for label in labels}, labels
    assert not overlapping(labels)
    # The map's only Tab stops are still Leaflet's controls (zoom in, zoom out).
    assert page.evaluate(FOCUSABLE_IN_MAP, "#area-map") == page.evaluate(
        "() => document.querySelectorAll('#area-map .leaflet-control a[href]').length"
    )
    no_serious_violations(page)
