"""The pages every public service has, in its layout, on a desktop and a phone, clean under axe."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/about/", "About this map"),
    ("/about/similar-areas/", "How similar areas are found"),
    ("/privacy/", "Privacy notice"),
    ("/accessibility/", "Accessibility statement"),
    ("/contact/", "Contact"),
    ("/data/api/", "API"),
]


@pytest.mark.parametrize(("url", "heading"), PAGES)
def test_service_pages(
    device_page,
    live_server,
    indicators,
    url,
    heading,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    response = page.goto(live_server.url + url)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(heading)
    expect(page).to_have_title(f"{heading}: England's education partnerships map")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert len(description) > 40
    footer = page.get_by_role("navigation", name="About this service")
    for name in ["About", "Privacy", "Accessibility statement", "Contact"]:
        expect(footer.get_by_role("link", name=name, exact=True)).to_be_visible()
    no_horizontal_overflow(page)
    no_serious_violations(page)


def test_method_page_lists_the_indicators_and_default_weights(page, live_server, indicators):
    page.goto(live_server.url + "/about/similar-areas/")
    table = page.get_by_role(
        "table", name="Indicators, and the weights used unless you change them"
    )
    expect(table.locator("tbody tr").first).to_contain_text("2")  # heaviest first
    expect(table).to_contain_text("not used by default")
    expect(page.locator("#dfe")).to_contain_text("DfE's statistical neighbours")


def test_api_guide_says_how_to_get_a_key_and_the_limits(page, live_server, settings):
    settings.CONTACT_EMAIL = "maps@example.org"
    page.goto(live_server.url + "/data/api/")
    expect(page.get_by_role("heading", name="How to get an API key")).to_be_visible()
    expect(page.locator("main")).to_contain_text("120/min")
    expect(page.locator("main")).to_contain_text("3000/min")
    expect(page.locator("main")).to_contain_text("429 Too Many Requests")
    expect(page.get_by_role("link", name="Interactive API reference")).to_have_attribute(
        "href", "/api/v1/docs/"
    )
    # The key is asked for on its own form, not through the contact page or a suggestion.
    page.get_by_role("link", name="ask for an API key").click()
    expect(page.locator("h1")).to_have_text("Ask for an API key")


def test_not_found_page_is_in_the_site_layout(device_page, live_server, no_serious_violations):
    page = device_page
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the map")).to_have_attribute("href", "/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    no_serious_violations(page)


def test_every_page_has_a_favicon_and_app_icons(page, live_server):
    page.goto(live_server.url + "/about/")
    for selector in ['link[rel="icon"]', 'link[rel="apple-touch-icon"]', 'link[rel="manifest"]']:
        for href in page.locator(selector).evaluate_all("links => links.map((l) => l.href)"):
            assert page.request.get(href).status == 200, href
    manifest = page.request.get(live_server.url + "/static/site.webmanifest").json()
    for icon in manifest["icons"]:
        assert page.request.get(live_server.url + "/static/" + icon["src"]).status == 200
