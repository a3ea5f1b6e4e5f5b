"""The map's shadings stay distinct under the common colour-vision deficiencies, and the
states that share a colour are told apart by pattern, on the map and in its key."""

import itertools

import pytest
from playwright.sync_api import expect

from tests.colour_vision import ciede2000, difference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISION = ["normal", "protanopia", "deuteranopia", "tritanopia"]
# CIEDE2000 of 10 or more: told apart at a glance, area beside area (2.3 is "just noticeable").
DISTINCT = 10


def test_the_difference_measure_matches_its_published_test_value():
    assert round(ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425


def palettes(page, live_server):
    page.goto(live_server.url + "/about/")
    return page.evaluate("async () => (await import('/static/js/map/shading.js')).PALETTES")


def test_every_key_stays_distinct_under_colour_vision_deficiencies(page, live_server, boundaries):
    found = palettes(page, live_server)
    assert set(found) == {"count", "coverage", "role", "council", "research"}
    too_close = []
    for name, items in found.items():
        for one, other in itertools.combinations(items, 2):
            if one.get("pattern") != other.get("pattern"):
                continue  # told apart by their marks (checked below)
            for vision in VISION:
                measured = difference(one["colour"], other["colour"], vision)
                if measured < DISTINCT:
                    too_close.append((name, vision, one, other, round(measured, 1)))
    assert not too_close


def test_patterned_states_on_the_map_and_in_the_key(
    device_page, live_server, curated, la_research, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    rutland, stockport = "E06000017", "E08000007"
    expect(page.locator(f'#map path[data-code="{rutland}"]')).to_have_attribute(
        "fill", "url(#shade-not-researched)"
    )
    expect(page.locator(f'#map path[data-code="{stockport}"]')).to_have_attribute(
        "fill", "url(#shade-regional-only)"
    )
    for pattern in ["shade-none-found", "shade-regional-only", "shade-not-researched"]:
        expect(page.locator(f"#{pattern}")).to_be_attached()
    legend = page.locator("#legend")
    expect(legend.locator(".swatch-cross")).to_have_count(1)
    expect(legend.locator(".swatch-hatch")).to_have_count(1)
    expect(legend).to_contain_text("Not researched yet (cross-hatched)")
    expect(legend).to_contain_text("Regional body only: no local partnership on the map (hatched)")
    no_serious_violations(page)

    page.goto(live_server.url + "/?shade=research")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    expect(legend).to_contain_text("Not researched yet (cross-hatched)")
    expect(legend.locator(".swatch-cross")).to_have_count(1)
    expect(legend).to_contain_text("Researched: no local partnership found (dotted)")
    expect(legend.locator(".swatch-dots")).to_have_count(1)
    no_serious_violations(page)
