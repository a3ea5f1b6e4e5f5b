"""First impressions (issue 24, item 9), on a desktop and a phone with axe: the home page says
what an area-based partnership is and who runs the service; a beta banner with a feedback
link on every page, which moves nothing; a phone home page that puts the map and the
selected area first and folds the long lists (it was 12,100 px long at 390 px with the
bundled partnerships); and an area page's headline figures beside its region's and England's."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMDEN = "E09000007"
# At 390 x 844 before this change: the page 12,102 px long, the map's top at 369 px.
PHONE_HOME_MAX_HEIGHT = 3000
# The banner (two lines on a phone) and at most two lines more for the purpose line.
PHONE_MAP_MAX_TOP = 369 + 50 + 45
NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}

# Layout shifts since the page began to load, as Lighthouse's CLS counts them (shifts
# after an input excluded), from the browser's own Layout Instability API.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


def open_map(page, url):
    page.goto(url)
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")


@pytest.fixture
def bundled(curated, bundled_research, register):
    """The bundled partnerships and research: the long lists a phone used to scroll through."""


def test_home_page_says_what_it_is_who_runs_it_and_that_it_is_new(
    device_page, live_server, bundled, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    open_map(page, live_server.url + "/")
    purpose = page.locator("#purpose")
    expect(purpose).to_be_visible()
    expect(purpose).to_contain_text("Area-based education partnerships bring a place's schools")
    expect(purpose).to_contain_text("Run by an open-data project")
    expect(purpose.get_by_role("link", name="about this service")).to_have_attribute(
        "href", "/about/"
    )
    banner = page.locator("#phase-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(
        "Beta This is a new service. Your feedback will help us improve it."
    )
    expect(banner.get_by_role("link", name="feedback")).to_have_attribute("href", "/contact/")
    # The banner sits between the header and the page, above the fold.
    box = banner.bounding_box()
    assert box["y"] < 130 and box["height"] <= 50, box
    assert page.evaluate(LAYOUT_SHIFT) <= 0.05
    no_serious_violations(page)
    no_horizontal_overflow(page)


def test_the_banner_is_on_every_page(page, live_server, bundled, baseline):
    for path in ["/about/", f"/areas/{CAMDEN}/", "/data/", "/suggest/", "/no-such-page/"]:
        page.goto(live_server.url + path)
        expect(page.locator("#phase-banner")).to_contain_text("This is a new service", timeout=2000)
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.locator("#phase-banner")).to_contain_text("This is a new service")


def test_phone_home_page_puts_the_map_and_your_area_first(
    phone_page, live_server, bundled, no_serious_violations
):
    page = phone_page
    open_map(page, live_server.url + "/")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= PHONE_HOME_MAX_HEIGHT, f"the phone home page is {height}px long"
    map_top = page.locator("#map").bounding_box()["y"]
    assert map_top <= PHONE_MAP_MAX_TOP, f"the map starts {map_top}px down"
    # The long list and the filters are folded, under the map and the selection.
    results = page.locator("#results-list")
    expect(results).not_to_have_attribute("open", "")
    expect(page.locator("#results li").first).to_be_hidden()
    expect(page.locator("#filters details")).not_to_have_attribute("open", "")
    details_top = page.locator("#details").bounding_box()["y"]
    assert map_top < details_top < results.bounding_box()["y"]
    no_serious_violations(page)
    # Your area: a search choice shows its details, scrolled into view.
    page.locator("#area-search").fill("Camden")
    page.get_by_role("option", name="Camden").first.click()
    expect(page.locator("#details h2")).to_have_text("Camden")
    expect(page.locator("#details")).to_be_in_viewport()
    # The folded list opens on a tap and shows every partnership.
    page.locator("#results-list > summary").click()
    expect(page.locator("#results li").first).to_be_visible()
    no_serious_violations(page)


def test_phone_keeps_the_filters_open_when_the_address_sets_one(phone_page, live_server, bundled):
    open_map(phone_page, live_server.url + "/?la_role=schools_led")
    expect(phone_page.locator("#filters details")).to_have_attribute("open", "")


def test_desktop_shows_the_list_and_filters_as_before(page, live_server, bundled):
    open_map(page, live_server.url + "/")
    expect(page.locator("#results-list > summary")).to_be_hidden()
    expect(page.locator("#results li").first).to_be_visible()
    expect(page.locator("#filters details")).to_have_attribute("open", "")


def test_area_page_headline_figures(
    device_page, live_server, bundled, baseline, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    page.goto(f"{live_server.url}/areas/{CAMDEN}/")
    figures = page.locator("#headline-figures")
    expect(figures.get_by_role("heading", name="Camden in figures")).to_be_visible()
    expect(figures.locator("li")).to_have_count(5)
    schools = figures.locator("#figure-schools")
    expect(schools.get_by_role("heading")).to_have_text("Open state-funded schools")
    expect(schools.locator("dt")).to_have_text(["London", "England"])
    # Near the top: on a desktop the first row is in the first screen.
    if page.device == "desktop":
        expect(schools).to_be_in_viewport()
    assert page.evaluate(LAYOUT_SHIFT) <= 0.05  # the figures are in the page as it arrives
    for figure in ["#figure-schools", "#figure-academy_share", "#figure-reached_share"]:
        expect(figures.locator(f"{figure} .headline-value")).not_to_have_text("Camden: 0%")
    no_serious_violations(page)
    no_horizontal_overflow(page)


def test_nothing_scrolls_sideways_at_320_px(browser, live_server, bundled, baseline):
    context = browser.new_context(**NARROWEST)
    page = context.new_page()
    for path in ["/", f"/areas/{CAMDEN}/"]:
        page.goto(live_server.url + path)
        expect(page.locator("#phase-banner")).to_be_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide"
    context.close()
