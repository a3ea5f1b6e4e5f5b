"""'Areas like this' in a real browser, on the area page and on the map."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_area_page_lists_similar_areas_and_lets_users_change_the_method(
    page, live_server, partnerships, indicators, no_serious_violations
):
    page.goto(live_server.url + "/areas/E08000019/")
    table = page.locator("#similar-results table")
    expect(table.locator("tbody tr")).to_have_count(10)
    expect(table).to_contain_text("Children in poverty")
    expect(page.locator("#similar-summary")).to_contain_text(
        "of these 10 areas are also among DfE's statistical neighbours"
    )
    expect(page.locator("#area-map")).to_have_attribute("data-similar", "10")
    ours = table.locator("tbody th").all_inner_texts()

    page.get_by_label("DfE's statistical neighbours (May 2025)").check()
    expect(table.locator("tbody tr").first).to_contain_text("Kirklees")
    expect(table.locator("tbody tr").first).to_contain_text("Very close")
    expect(page.locator("#similar-summary")).to_contain_text("of DfE's 10 neighbours are also")

    page.get_by_label("Our indicators (adjustable below)").check()
    page.get_by_text("Indicators and weights").click()
    for name in ["Children in poverty", "Deprivation (IMD 2025 average score)"]:
        page.get_by_label(name, exact=True).uncheck()
    page.get_by_label("Population density", exact=True).uncheck()
    page.get_by_label("Households in rural districts", exact=True).check()
    expect(table.locator("tbody th").first).not_to_have_text(ours[0])
    no_serious_violations(page)


def test_partnerships_in_areas_like_mine(page, live_server, partnerships, indicators):
    # Kirklees's first DfE neighbour is Sheffield, home of Learn Sheffield.
    page.goto(live_server.url + "/areas/E08000034/")
    page.get_by_label("DfE's statistical neighbours (May 2025)").check()
    expect(page.locator("#similar-results table tbody tr").first).to_contain_text("Sheffield")
    expect(page.locator("#similar-partnerships li")).to_have_text(["Learn Sheffield"])


def test_map_shows_areas_like_the_selected_one(page, live_server, partnerships, indicators):
    page.goto(live_server.url + "/?la=E08000019")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    page.get_by_role("button", name="Show areas like this").click()
    expect(page.locator("#details ol li")).to_have_count(10)
    assert "like=1" in page.url
    expect(page.locator('#map path[stroke-dasharray="5 3"]')).to_have_count(10)
    expect(page.locator("#details")).to_contain_text("Partnerships in areas like this")


def test_similar_areas_in_plain_words_with_the_choice_in_the_url(
    device_page,
    live_server,
    partnerships,
    indicators,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    page.goto(live_server.url + "/areas/E08000019/")
    results = page.locator("#similar-results")
    expect(results.locator("tbody tr")).to_have_count(10)
    expect(results).to_contain_text("0 means identical; smaller means more alike")
    expect(results.get_by_role("link", name="How similar areas are found")).to_have_attribute(
        "href", "/about/similar-areas/"
    )
    assert "method=indicators" in page.url and "weights=" in page.url
    no_horizontal_overflow(page)  # the wide comparison table scrolls in its own box
    no_serious_violations(page)

    # DfE's list does not use our indicators: their controls are switched off, and say why.
    page.get_by_text("Indicators and weights").click()
    page.get_by_label("DfE's statistical neighbours (May 2025)").check()
    expect(page.locator("#similar-dfe-note")).to_be_visible()
    expect(page.get_by_label("Children in poverty", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Back to the default set")).to_be_disabled()
    expect(results).to_contain_text("from “Extremely close” to “Not close”")
    expect(page).to_have_url(re.compile(r"method=dfe"))
    page.get_by_label("Our indicators (adjustable below)").check()
    expect(page.get_by_label("Children in poverty", exact=True)).to_be_enabled()
    expect(page.locator("#similar-dfe-note")).to_be_hidden()

    # A shared comparison opens as it was made.
    shared = "/areas/E08000019/?method=indicators&indicators=rural,density&weights=3,0.5"
    page.goto(live_server.url + shared)
    expect(results.locator("tbody tr")).to_have_count(10)
    page.get_by_text("Indicators and weights").click()
    expect(page.get_by_label("Households in rural districts", exact=True)).to_be_checked()
    expect(page.get_by_label("Children in poverty", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Weight of Households in rural districts")).to_have_value("3")
    expect(page.get_by_label("Weight of Population density")).to_have_value("0.5")
    page.goto(f"{live_server.url}/areas/E08000019/?method=dfe&indicators=rural&weights=1")
    expect(page.get_by_label("DfE's statistical neighbours (May 2025)")).to_be_checked()
    expect(results.locator("tbody tr").first).to_contain_text("Kirklees")


def test_area_page_key_explains_the_outlines(page, live_server, partnerships, indicators):
    page.goto(live_server.url + "/areas/E06000017/")
    key = page.get_by_role("list", name="Key to the map")
    expect(key).to_contain_text("Rutland")
    expect(key).to_contain_text("Areas like Rutland (listed below)")
    invite = page.get_by_role("link", name="Know of one in Rutland? Tell us about it")
    expect(invite).to_have_attribute("href", "/suggest/?la=E06000017")
