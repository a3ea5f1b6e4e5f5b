"""Every page type reflows at 320 CSS px (WCAG 1.4.10): no page wider than the screen,
tables scrolling sideways inside their own labelled, focusable region, table cells not
squeezed to a letter a line, and list links with their bullet on their first line.
axe stays clean at 320 px and on a desktop."""

import datetime

import pytest
from playwright.sync_api import expect

from geodata.models import LocalAuthority
from partnerships.models import Membership, Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def narrow_page(browser):
    context = browser.new_context(**NARROWEST)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def members(partnerships, register):
    """Learn Sheffield with named members of every kind, long names and roles included."""
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(
        partnership=sheffield,
        kind="school",
        school_id=136671,
        name="Kirkbie Kendal School",
        role="Founding member school and host of the secondary phase network",
        start_date=datetime.date(2015, 9, 1),
    )
    Membership.objects.create(
        partnership=sheffield,
        kind="trust",
        trust_id=9001,
        name="Example Multi-Academy Trust 1",
        role="Chief executive on the board of directors",
    )
    Membership.objects.create(
        partnership=sheffield,
        kind="local_authority",
        local_authority=LocalAuthority.objects.get(ons_code="E08000019"),
        name="Sheffield City Council",
        role="Commissions school improvement services",
    )
    Membership.objects.create(
        partnership=sheffield,
        kind="organisation",
        organisation_type="university",
        name="The University of Sheffield School of Education",
        role="Research partner",
    )


def no_wider_than_the_screen(page):
    screen = page.viewport_size["width"]
    document, inner = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert document <= screen, f"the page is {document}px wide on a {screen}px screen"
    # A phone zooms out to show a page wider than the screen: its layout viewport grows.
    assert inner == screen, f"the phone zoomed out to {inner}px"


SQUEEZED_CELLS = r"""() => {
  const squeezed = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (!cell.checkVisibility()) continue;  // not shown
    if (cell.querySelector("input, select, button")) continue;
    const text = cell.textContent.replace(/\s+/g, " ").trim();
    // Short values (a name, a number, a year) must fit on fewer than 3 lines.
    if (!text || text.length > 24) continue;
    const style = getComputedStyle(cell);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const height = range.getBoundingClientRect().height;  // the text, not the row
    if (height >= 3 * Math.max(lineHeight, 24)) squeezed.push([text, Math.round(height)]);
  }
  return squeezed;
}"""

TABLE_REGIONS = """() => [...document.querySelectorAll("main table")]
  .filter((table) => table.checkVisibility())
  .map((table) => {
    const region = table.parentElement.closest("[role=region]");
    const caption = table.querySelector("caption");
    return {
      caption: caption ? caption.textContent.replace(/\\s+/g, " ").trim() : null,
      region: region && region.classList.contains("table-scroll"),
      tabindex: region && region.getAttribute("tabindex"),
      labelledby: region && region.getAttribute("aria-labelledby"),
      captionId: caption && caption.id,
    };
  })"""

# A link opening a list item, even when its text wraps, starts on the line of the item's
# bullet or number (the marker sits on the item's first baseline: a probe put there).
LIST_LINKS = """() => {
  const misplaced = [];
  for (const link of document.querySelectorAll("main li > a:first-child")) {
    const item = link.parentElement;
    const before = document.createRange();
    before.setStart(item, 0);
    before.setEndBefore(link);
    if (!link.checkVisibility() || before.toString().trim() || !link.firstChild) continue;
    const probe = document.createElement("span");
    probe.textContent = "\\u200b";
    item.insertBefore(probe, item.firstChild);
    const marker = probe.getBoundingClientRect().bottom;
    probe.remove();
    const firstLetter = document.createRange();
    firstLetter.setStart(link.firstChild, 0);
    firstLetter.setEnd(link.firstChild, Math.min(1, link.firstChild.length || 0));
    const text = firstLetter.getBoundingClientRect().bottom;
    if (Math.abs(marker - text) > 4) misplaced.push([link.textContent, Math.round(marker - text)]);
  }
  return misplaced;
}"""


def tables_reflow(page):
    assert page.evaluate(SQUEEZED_CELLS) == []
    for table in page.evaluate(TABLE_REGIONS):
        assert table["region"], table
        assert table["tabindex"] == "0", table
        assert table["caption"] and table["labelledby"] == table["captionId"], table
        expect(page.get_by_role("region", name=table["caption"], exact=True)).to_have_count(1)
    assert page.evaluate(LIST_LINKS) == []


def open_area(page):
    expect(page.locator("#similar-results tbody tr")).to_have_count(10)
    page.get_by_text("Indicators and weights").click()


def open_map(page):
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")


PAGES = [
    ("/", open_map),
    ("/areas/E08000019/", open_area),
    ("/areas/E09000011/", None),  # Greenwich: the sample register's schools and trusts
    ("/partnerships/learn-sheffield/", None),
    ("/partnerships/cumbria-alliance-of-system-leaders/", None),
    ("/trusts/9001/", None),
    ("/schools/136671/", None),
    ("/data/", None),
    ("/suggest/", None),
    ("/about/similar-areas/", None),
    ("/about/", None),
    ("/accessibility/", None),
    ("/landscape/", None),
    ("/compare/?areas=E08000019,E09000011,E09000007,E06000063", None),
    ("/embed/areas/E08000019/", None),
    ("/embed/partnerships/learn-sheffield/", None),
]


@pytest.mark.parametrize(("url", "prepare"), PAGES, ids=[url for url, _ in PAGES])
def test_every_page_reflows_at_320_px(
    narrow_page, desktop_page, live_server, indicators, members, url, prepare, no_serious_violations
):
    for page in (narrow_page, desktop_page):
        response = page.goto(live_server.url + url)
        assert response.status == 200
        if prepare:
            prepare(page)
        no_wider_than_the_screen(page)
        tables_reflow(page)
        no_serious_violations(page)


def test_the_maps_table_view_reflows_at_320_px(
    narrow_page, live_server, indicators, partnerships, no_serious_violations
):
    page = narrow_page
    page.goto(live_server.url + "/")
    open_map(page)
    page.get_by_role("button", name="Table").click()
    expect(page.locator("#area-table tbody tr")).to_have_count(153)
    no_wider_than_the_screen(page)
    tables_reflow(page)
    no_serious_violations(page)


def test_a_wide_table_scrolls_in_its_region_by_keyboard(narrow_page, live_server, members):
    page = narrow_page
    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    region = page.get_by_role("region", name="Named members")
    assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")  # wider than the screen
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-scroll:focus').scrollLeft > 0", timeout=2000
    )
    no_wider_than_the_screen(page)
