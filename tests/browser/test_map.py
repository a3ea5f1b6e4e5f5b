"""The national map in a real Chromium: boundaries, hover, selection, search, small screens."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def map_page(page, live_server, boundaries):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    page.requested_hosts = requested_hosts
    return page


def test_every_authority_is_drawn_without_basemap_or_cdn(map_page, live_server):
    expect(map_page.locator("#map path.leaflet-interactive")).to_have_count(153)
    expect(map_page.locator("img.leaflet-tile")).to_have_count(0)
    assert map_page.requested_hosts == {urlparse(live_server.url).netloc}
    expect(map_page.locator("footer")).to_contain_text("Open Government Licence v3.0")
    expect(map_page.locator("footer")).to_contain_text("Contains OS data")


def test_hover_and_click_show_names_codes_and_region(map_page):
    rutland = map_page.locator('#map path[data-code="E06000017"]')
    rutland.hover()
    expect(map_page.locator(".leaflet-tooltip")).to_have_text("Rutland")
    details = map_page.locator("#area-details")
    expect(details).to_contain_text("Rutland")
    expect(details).to_contain_text("E06000017")
    expect(details).to_contain_text("857")
    expect(details).to_contain_text("Unitary authority")
    expect(details).to_contain_text("East Midlands")

    rutland.click()
    expect(map_page.locator("#map")).to_have_attribute("data-selected", "E06000017")
    map_page.locator('#map path[data-code="E10000018"]').hover()  # Leicestershire
    expect(details.locator("h2")).to_have_text("Leicestershire")
    map_page.mouse.move(1, 1)
    expect(details.locator("h2")).to_have_text("Rutland")  # the selection stays shown


def test_search_finds_partial_names_with_the_keyboard(map_page):
    search = map_page.get_by_label("Find a local authority")
    search.focus()
    map_page.keyboard.type("north")
    options = map_page.get_by_role("option")
    expect(options.first).to_contain_text("North East Lincolnshire")
    expect(map_page.locator("#area-search-status")).to_contain_text("matching areas")
    names = options.all_inner_texts()
    assert "North Yorkshire (E06000065, 815)" in names
    assert all("north" in name.lower() for name in names)

    map_page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    chosen = options.nth(1).inner_text().split(" (")[0]
    map_page.keyboard.press("Enter")
    expect(map_page.locator("#area-details h2")).to_have_text(chosen)
    expect(search).to_have_value(chosen)
    expect(map_page.get_by_role("listbox")).to_be_hidden()


@pytest.mark.parametrize(
    "query, name, ons_code",
    [("942", "Cumberland", "E06000063"), ("e09000001", "City of London", "E09000001")],
)
def test_search_finds_either_code(map_page, query, name, ons_code):
    search = map_page.get_by_label("Find a local authority")
    search.fill(query)
    search.press("Enter")
    expect(map_page.locator("#area-details h2")).to_have_text(name)
    expect(map_page.locator("#map")).to_have_attribute("data-selected", ons_code)


def test_search_says_when_nothing_matches(map_page):
    search = map_page.get_by_label("Find a local authority")
    search.fill("Atlantis")
    search.press("Enter")
    expect(map_page.locator("#area-search-status")).to_have_text(
        "No local authority matches that name or code."
    )


def test_usable_on_a_phone_sized_screen(browser, live_server, boundaries):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] >= 380 and map_box["height"] >= 300
    search = page.get_by_label("Find a local authority")
    expect(search).to_be_visible()
    search.fill("Leeds")
    search.press("Enter")
    expect(page.locator("#area-details h2")).to_have_text("Leeds")
    context.close()


def test_admin_map_widget_draws_offline(page, live_server, boundaries, django_user_model):
    django_user_model.objects.create_superuser("moderator", "m@example.org", "a-long-passphrase")
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/geodata/localauthority/?q=Rutland")
    page.get_by_role("link", name="Rutland").click()
    expect(page.locator(".leaflet-container path.leaflet-interactive").first).to_be_visible()
    assert requested_hosts == {urlparse(live_server.url).netloc}
