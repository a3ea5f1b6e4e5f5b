"""The map as a public service: on a phone and a desktop, with a keyboard, and when the
data has nothing to say (issue 14)."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"
RUTLAND = "E06000017"
CUMBERLAND = "E06000063"


def open_map(page, url):
    page.goto(url)
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")


def path(page, code):
    return page.locator(f'#map path[data-code="{code}"]')


def zoomed_to(page, code):
    """Leaflet animates the zoom: wait until the area fills most of the map's width or height."""
    view = page.locator("#map").bounding_box()
    for _wait in range(50):
        box = path(page, code).bounding_box()
        if box["width"] > 0.6 * view["width"] or box["height"] > 0.6 * view["height"]:
            return True
        page.wait_for_timeout(100)
    return False


def test_phone_puts_the_map_first_and_the_tapped_area_in_view(
    phone_page, live_server, partnerships, no_serious_violations, no_horizontal_overflow
):
    page = phone_page
    open_map(page, live_server.url + "/")
    map_box = page.locator("#map").bounding_box()
    filters_box = page.locator("#filters").bounding_box()
    list_box = page.locator("#results").bounding_box()
    assert map_box["y"] < filters_box["y"] and map_box["y"] < list_box["y"]
    assert map_box["y"] < 844, "the map starts on the first screen"
    assert map_box["width"] >= 380
    no_horizontal_overflow(page)

    path(page, SHEFFIELD).tap()
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Sheffield")
    expect(details.locator("h2")).to_be_in_viewport()
    expect(details).to_be_focused()
    no_horizontal_overflow(page)
    no_serious_violations(page)

    page.get_by_role("button", name="Table").click()
    expect(page.locator("#area-table")).to_be_visible()
    no_horizontal_overflow(page)
    no_serious_violations(page)


def test_area_filter_selects_and_zooms_like_a_click_and_the_list_follows(
    device_page, live_server, partnerships, show_filters
):
    page = device_page
    open_map(page, live_server.url + "/")
    box = path(page, CUMBERLAND).bounding_box()
    assert box["width"] < 0.3 * page.locator("#map").bounding_box()["width"]  # England in view
    expect(page.locator("#results li")).to_have_count(2)
    show_filters(page)

    page.get_by_label("Area").select_option(label="Cumberland")
    expect(page.locator("#map")).to_have_attribute("data-selected", CUMBERLAND)
    expect(page.locator("#details h2")).to_have_text("Cumberland")
    expect(path(page, CUMBERLAND)).to_have_attribute("stroke-width", "3")
    assert zoomed_to(page, CUMBERLAND)
    expect(page.locator("#results-heading")).to_have_text("Partnerships in Cumberland")
    expect(page.locator("#results li")).to_have_count(1)
    expect(page).to_have_title("Cumberland: England's education partnerships map")
    assert f"la={CUMBERLAND}" in page.url and f"area={CUMBERLAND}" in page.url

    # A click elsewhere on the map moves the selection; the list follows it.
    page.get_by_role("button", name="Clear selection").click()
    expect(page.get_by_label("Area")).to_have_value("")
    expect(page.locator("#results li")).to_have_count(2)
    page.get_by_label("Area").select_option(label="Sheffield")
    expect(page.locator("#results li")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Learn Sheffield")
    expect(page).to_have_title("Sheffield: England's education partnerships map")


def test_an_area_with_no_partnership_invites_a_suggestion_for_it(page, live_server, partnerships):
    open_map(page, live_server.url + f"/?la={RUTLAND}")
    # Nobody has researched Rutland here (no research record): never "none found".
    expect(page.locator("#details h3").first).to_have_text(
        "Not researched yet: no local partnership is recorded here"
    )
    expect(page.locator("#details")).not_to_contain_text("partnership found", ignore_case=True)
    invite = page.get_by_role("link", name="Know of one in Rutland? Tell us about it")
    expect(invite).to_have_attribute("href", f"/suggest/?la={RUTLAND}")
    invite.click()
    expect(page.locator("h1")).to_have_text("Suggest a partnership")
    chosen = page.locator("#id_local_authorities_select option:checked")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text("Rutland")
    expect(page.get_by_role("list", name="Chosen local authorities")).to_contain_text("Rutland")

    page.goto(live_server.url + "/?view=table")
    expect(page.locator("#area-table tbody tr")).to_have_count(153)
    expect(
        page.get_by_role("link", name="None known: suggest one in Rutland", exact=True)
    ).to_have_attribute("href", f"/suggest/?la={RUTLAND}")


def test_keyboard_skips_the_list_selects_areas_and_sorts_the_table(page, live_server, partnerships):
    open_map(page, live_server.url + "/")
    # From the search box, the Map/Table switch is a few key presses away, not 61: the
    # selection and filters come first, and a skip link passes them.
    page.get_by_role("combobox", name="Search").focus()
    page.keyboard.press("Tab")
    skip_to_map = page.get_by_role("link", name="Skip to the map and the table of areas")
    expect(skip_to_map).to_be_focused()
    expect(skip_to_map).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#show-map")).to_be_focused()

    skip = page.get_by_role("link", name="Skip the list of partnerships")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#after-results")).to_be_focused()

    page.get_by_role("button", name="Table").click()
    table = page.locator("#partnership-table")
    for name in ["Cumbria Alliance of System Leaders", "Learn Sheffield"]:
        expect(table.get_by_role("button", name=f"Show {name} on map", exact=True)).to_have_count(1)
    # An LA chosen without a mouse, from the equivalent list.
    rutland = page.get_by_role("button", name="Show Rutland on map", exact=True)
    rutland.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#map")).to_have_attribute("data-selected", RUTLAND)
    expect(page.locator("#details")).to_be_focused()

    page.get_by_role("button", name="Table").click()
    header = page.locator("#area-table thead th").first
    header.get_by_role("button", name="Local authority").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button", name="Local authority").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#area-table tbody tr").first.locator("th a")).to_have_text("York")
    partnerships_header = page.locator("#area-table thead th").nth(2)
    partnerships_header.get_by_role("button").click()
    partnerships_header.get_by_role("button").click()
    first = page.locator("#area-table tbody tr").first
    expect(first.locator("td").nth(1)).not_to_contain_text("None known")


def BOUNDARIES(url):
    """The map's own versioned boundaries (geodata.views.boundaries_url)."""
    return "/map-data/local-authorities.geojson" in url


def test_map_loads_visibly_and_has_a_scale_a_key_and_print_and_share(
    browser, live_server, partnerships
):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    released = []

    def slow_boundaries(route):
        released.append(route)

    page.route(BOUNDARIES, slow_boundaries)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-loading")).to_be_visible()
    expect(page.locator("#map-loading")).to_have_text("Loading the map of England…")
    expect(page.locator("#map")).to_have_attribute("aria-busy", "true")
    for _wait in range(50):
        if released:
            break
        page.wait_for_timeout(100)
    released[0].continue_()
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    expect(page.locator("#map-loading")).to_be_hidden()
    expect(page.locator(".leaflet-control-scale-line").first).to_contain_text("km")

    path(page, SHEFFIELD).click()
    legend = page.locator("#legend")
    expect(legend).to_contain_text("Selected area: Sheffield")
    page.get_by_role("button", name="Copy link to this view").click()
    expect(page.locator("#share-status")).to_have_text("Link copied. Paste it to share this view.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    assert f"la={SHEFFIELD}" in page.url

    page.emulate_media(media="print")
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#details h2")).to_have_text("Sheffield")
    expect(legend).to_be_visible()
    context.close()


def test_areas_like_this_zoom_the_national_map_and_are_in_the_key(
    page, live_server, partnerships, indicators
):
    open_map(page, live_server.url + f"/?la={SHEFFIELD}")
    page.get_by_role("button", name="Show areas like this").click()
    expect(page.locator("#details")).to_contain_text("Areas like this")
    expect(page.locator("#legend")).to_contain_text("Areas like the selected one")
    dashed = page.locator('#map path[stroke-dasharray="5 3"]')
    expect(dashed.first).to_be_attached()
    count = dashed.count()
    assert count >= 5
    # Every area like this one comes within the map's view (after the zoom's animation).
    script = """() => {
        const view = document.querySelector('#map').getBoundingClientRect();
        const alike = document.querySelectorAll('#map path[stroke-dasharray="5 3"]');
        return [...alike].every((p) => {
            const b = p.getBoundingClientRect();
            return b.left >= view.left - 2 && b.right <= view.right + 2
                && b.top >= view.top - 2 && b.bottom <= view.bottom + 2;
        });
    }"""
    for _wait in range(50):
        if page.evaluate(script):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the areas like this one are not all within the map's view")
    expect(
        page.locator("#details").get_by_role("link", name="How similar areas are found")
    ).to_have_attribute("href", "/about/similar-areas/")


def SEARCH(url):
    return "/api/v1/search/" in url


def answer(route, body):
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


def test_search_renders_every_kind_of_server_result(page, live_server, partnerships):
    """Written against the search contract: results {kind, label, url, la}; a message when
    nothing is found. The server's answers are stood in for, so this checks the page."""
    open_map(page, live_server.url + "/")
    page.route(
        SEARCH,
        lambda route: answer(
            route,
            {
                "q": "SE10",
                "results": [
                    {
                        "kind": "postcode",
                        "label": "SE10 0AA",
                        "url": "/areas/E09000011/",
                        "la": "E09000011",
                    },
                    {
                        "kind": "school",
                        "label": "Deansfield Primary School (URN 143599)",
                        "url": "/schools/143599/",
                        "la": "E09000011",
                    },
                    {
                        "kind": "trust",
                        "label": "Example Trust (trust 9001)",
                        "url": "/trusts/9001/",
                        "la": None,
                    },
                ],
            },
        ),
    )
    search = page.get_by_role("combobox", name="Search")
    search.fill("SE10")
    options = page.locator("#area-search-results").get_by_role("option")
    expect(options).to_have_count(3)
    expect(options.nth(0)).to_have_attribute("data-kind", "postcode")
    expect(options.nth(1)).to_have_attribute("data-kind", "school")
    expect(options.nth(2)).to_have_attribute("data-kind", "trust")
    search.press("Enter")
    expect(page.locator("#map")).to_have_attribute("data-selected", "E09000011")
    expect(page.locator("#details h2")).to_have_text("Greenwich")
    expect(page.locator("#area-search-status")).to_have_text("SE10 0AA is in Greenwich.")
    expect(page.locator("#area-search-status")).to_be_visible()

    page.unroute(SEARCH)
    page.route(
        SEARCH,
        lambda route: answer(
            route,
            {
                "q": "Camden",
                "results": [
                    {
                        "kind": "area",
                        "label": "Camden",
                        "url": "/areas/E09000007/",
                        "la": "E09000007",
                    }
                ],
            },
        ),
    )
    search.fill("Camden")
    expect(options).to_have_count(1)  # found in the page too: not listed twice
    search.press("Enter")
    expect(page.locator("#details h2")).to_have_text("Camden")


def test_search_says_visibly_when_nothing_is_found(page, live_server, partnerships):
    open_map(page, live_server.url + "/")
    search = page.get_by_role("combobox", name="Search")
    page.route(
        SEARCH,
        lambda route: answer(
            route,
            {
                "q": "Atlantis",
                "results": [],
                "message": "No area, postcode, school or trust matches “Atlantis”.",
            },
        ),
    )
    search.fill("Atlantis")
    status = page.locator("#area-search-status")
    expect(status).to_have_text("No area, postcode, school or trust matches “Atlantis”.")
    expect(status).to_be_visible()
    page.unroute(SEARCH)
    search.fill("Xq")  # too short for the server: said by the page itself
    expect(status).to_have_text("No results for “Xq”.")
    expect(status).to_be_visible()
