"""The area page opens at its top: its answers ("Partnerships covering X", "What we know")
come first, and the similar-areas section below keeps its choice in the query string
without moving the page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_similar_areas(page):
    expect(page.locator("#similar-results tbody tr")).to_have_count(10)
    # Let any scroll the load asks for (a fragment, a focus) happen before measuring.
    page.wait_for_timeout(300)


def assert_at_top(page):
    assert page.evaluate("() => window.scrollY") == 0
    assert "#" not in page.url, page.url
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()


def test_area_page_opens_at_its_top(device_page, live_server, partnerships, indicators):
    page = device_page
    page.goto(live_server.url + "/areas/E08000019/")
    wait_for_similar_areas(page)
    assert_at_top(page)
    assert "method=indicators" in page.url  # the choice is still in the address

    page.reload()
    wait_for_similar_areas(page)
    assert_at_top(page)


def test_similar_areas_choice_survives_reload_and_back(page, live_server, partnerships, indicators):
    page.goto(live_server.url + "/areas/E08000019/")
    wait_for_similar_areas(page)
    page.get_by_text("Indicators and weights").click()
    page.get_by_label("Population density", exact=True).uncheck()
    page.get_by_label("Weight of Children in poverty").select_option("3")
    page.wait_for_function(
        "() => !location.search.includes('density') && location.search.includes('weights=3')"
    )
    address = page.url
    assert "#" not in address

    page.reload()
    wait_for_similar_areas(page)
    assert page.url == address
    page.get_by_text("Indicators and weights").click()
    expect(page.get_by_label("Population density", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Weight of Children in poverty")).to_have_value("3")

    page.goto(live_server.url + "/about/")
    page.go_back()
    wait_for_similar_areas(page)
    assert page.url == address  # (back restores the reader's own scroll position)
    page.get_by_text("Indicators and weights").click()
    expect(page.get_by_label("Population density", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Weight of Children in poverty")).to_have_value("3")
