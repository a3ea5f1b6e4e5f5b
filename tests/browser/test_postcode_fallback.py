"""Issue 24 item 5 on the map: a postcode our data lacks leads to the LA its sector lies
in, saying so; a sector spanning LAs offers each. And item 7's "Showing Sheffield, where
S1 2HE: Sheffield is." reads as a sentence."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search_for(page, text):
    box = page.get_by_role("combobox", name="Search")
    box.fill(text)
    expect(page.locator("#area-search-results li[data-kind=postcode]").first).to_be_visible()
    return box


def test_an_unknown_postcode_leads_to_its_sectors_area(
    device_page, live_server, postcodes, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    status = page.locator("#area-search-status")

    search_for(page, "MK40 1SJ").press("Enter")
    expect(page.locator("#details h2")).to_have_text("Bedford")
    expect(status).to_have_text(
        "Showing Bedford. MK40 1SJ is not in our postcode data; every known postcode in "
        "MK40 1 is in Bedford."
    )
    assert "la=E06000055" in page.url
    no_serious_violations(page)

    search_for(page, "NW1 4ZZ")
    options = page.locator("#area-search-results li")
    expect(options).to_have_text(
        [
            "NW1 4ZZ: Camden (part of NW1 4 is there)",
            "NW1 4ZZ: Westminster (part of NW1 4 is there)",
        ]
    )
    page.get_by_role("combobox", name="Search").press("ArrowDown")
    page.get_by_role("combobox", name="Search").press("Enter")
    expect(page.locator("#details h2")).to_have_text("Westminster")
    expect(status).to_contain_text("known postcodes in NW1 4 lie in Camden and Westminster")

    search_for(page, "s1 2he").press("Enter")
    expect(page.locator("#details h2")).to_have_text("Sheffield")
    expect(status).to_have_text("S1 2HE is in Sheffield.")
    expect(page.get_by_role("combobox", name="Search")).to_have_value("S1 2HE")
