"""The API reference (Swagger UI) in the site's frame: language, links back, clean under axe."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_are_accessible_and_link_back(
    device_page, live_server, boundaries, no_serious_violations
):
    page = device_page
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_role("link", name="How to get an API key and the limits")).to_have_attribute(
        "href", "/data/api/"
    )
    expect(page.get_by_role("link", name="Education partnerships map")).to_have_attribute(
        "href", "/"
    )
    no_serious_violations(page)
    # An operation opened, as people use the page.
    page.locator(".opblock-summary-control").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    no_serious_violations(page)
