"""Each page type in a real browser: content, its small map, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Membership, Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partnership_page(page, live_server, partnerships, no_serious_violations):
    page.goto(live_server.url + "/partnerships/cumbria-alliance-of-system-leaders/")
    expect(page.locator("h1")).to_have_text("Cumbria Alliance of System Leaders")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "2")
    expect(page.get_by_role("link", name="Westmorland and Furness")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Not yet verified")
    no_serious_violations(page)
    page.get_by_role("link", name="Cumberland").click()
    expect(page.locator("h1")).to_have_text("Cumberland")


def test_area_page(page, live_server, partnerships, register, no_serious_violations):
    page.goto(live_server.url + "/areas/E09000011/")
    expect(page.locator("h1")).to_have_text("Greenwich")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "1")
    expect(page.get_by_role("table", name="Open schools by type")).to_contain_text("Academies")
    no_serious_violations(page)


def test_school_page(page, live_server, partnerships, register, no_serious_violations):
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="learn-sheffield"),
        kind="school",
        school_id=136671,
        name="Kirkbie Kendal School",
    )
    page.goto(live_server.url + "/schools/136671/")
    expect(page.locator("h1")).to_have_text("Kirkbie Kendal School")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "2")  # LA and point
    expect(page.get_by_role("link", name="Learn Sheffield")).to_be_visible()
    no_serious_violations(page)


def test_trust_page(page, live_server, register, no_serious_violations):
    page.goto(live_server.url + "/trusts/9001/")
    expect(page.locator("h1")).to_have_text("Example Multi-Academy Trust 1")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "3")
    expect(page.get_by_role("table", name="Open schools by local authority")).to_contain_text(
        "Wakefield"
    )
    no_serious_violations(page)


# Fonts differ between machines: a compact one (tight line height) must not shrink links
# below WCAG 2.2's 24 x 24 px target size (2.5.8). This style stands in for such a font.
COMPACT_FONT = "*, *::before, *::after { line-height: 1 !important; font-size: 14px; }"


@pytest.mark.parametrize(
    "path",
    ["/schools/136671/", "/trusts/9001/", "/areas/E09000011/", "/partnerships/learn-sheffield/"],
)
def test_touch_targets_are_big_enough_whatever_the_fonts(
    page, live_server, partnerships, register, axe, path
):
    page.goto(live_server.url + path)
    # A constructed style sheet (CSSOM), as the page's CSP rightly refuses inline styles.
    page.evaluate(
        """css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                    document.adoptedStyleSheets = [sheet]; }""",
        COMPACT_FONT,
    )
    results = axe.run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
    assert results.response["passes"] or results.response["inapplicable"]
    assert results.response["violations"] == [], [
        node["target"]
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def test_pages_work_under_the_content_security_policy(page, live_server, partnerships, register):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    page.goto(live_server.url + "/areas/E09000011/")
    expect(page.locator("#area-map")).to_have_attribute("data-loaded", "1")
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("England's education")
    assert refused == []


def test_maps_fetch_their_boundaries_and_scripts_once_each_from_the_start(
    page, live_server, partnerships, register
):
    """The pages preload the boundaries (and the map every module it imports), which would
    otherwise wait for the scripts that ask for them; a preload that the script's own request
    does not match would be fetched twice."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for url, loaded in [("/", "#map"), ("/areas/E09000011/", "#area-map")]:
        requested.clear()
        page.goto(live_server.url + url)
        expect(page.locator(loaded)).to_have_attribute("data-loaded", re.compile(r"\d"))
        boundaries = [url for url in requested if "/map-data/local-authorities.geojson" in url]
        assert len(boundaries) == 1, url
        scripts = [url for url in requested if "/static/js/" in url]
        assert len(scripts) == len(set(scripts)), url
        assert page.locator('link[rel="preload"][as="fetch"]').count() == 1
        # Every module imported, but none the page names itself.
        named = page.eval_on_selector_all('script[type="module"]', "tags => tags.map(t => t.src)")
        preloaded = page.eval_on_selector_all(
            'link[rel="modulepreload"]', "links => links.map(link => link.href)"
        )
        assert sorted(preloaded) == sorted(set(scripts) - set(named)), url
    page.goto(live_server.url + "/about/")  # no map: nothing to preload
    assert page.locator('link[rel="preload"]').count() == 0
