"""Reading the landscape over time: the chart and its table on the area page and on
England's page, on a desktop and a phone, axe clean, downloadable."""

import pytest
from playwright.sync_api import expect

from geodata.importers.gias_links import import_links_file
from geodata.landscape_history import ENGLAND, successor_events_of
from tests.partnerships.test_timeline import LINKS_FILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def links(baseline):
    assert import_links_file(LINKS_FILE).status == "succeeded"


def test_area_timeline_chart_and_table(
    device_page, live_server, links, partnerships, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    page.goto(live_server.url + "/areas/E09000007/")
    section = page.locator("#timeline")
    section.scroll_into_view_if_needed()
    chart = section.get_by_role("img", name="Successor events by year in Camden")
    expect(chart).to_be_visible()
    table = section.get_by_role("table", name="Successor events by year and kind, Camden")
    expect(table).to_be_visible()
    rows = successor_events_of("E09000007")
    dated = [row for row in rows if row["year"] != "undated"]
    expect(table.locator("tbody tr")).to_have_count(len(rows))
    first = table.locator("tbody tr").first
    expect(first.get_by_role("rowheader")).to_have_text(str(dated[0]["year"]))
    expect(first.locator("td").last).to_have_text(str(dated[0]["total"]))
    expect(chart.locator("g.chart-bar")).to_have_count(len(dated))
    expect(section.locator("#academy-share")).to_contain_text("are academies or free schools")
    if page.device == "phone":  # stacked: the table is below the chart, not beside it
        assert table.bounding_box()["y"] > chart.bounding_box()["y"] + 50
    else:
        assert abs(table.bounding_box()["y"] - chart.bounding_box()["y"]) < 60
    no_horizontal_overflow(page)
    no_serious_violations(page)

    with page.expect_download() as download:
        section.get_by_role("link", name="these series as CSV").click()
    assert download.value.suggested_filename == "landscape-over-time-E09000007.csv"


def test_england_timeline_page(device_page, live_server, links, no_serious_violations):
    page = device_page
    page.goto(live_server.url + "/landscape/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The landscape over time in England")
    table = page.get_by_role("table", name="Successor events by year and kind, England")
    total = sum(row["total"] for row in successor_events_of(ENGLAND))
    cells = table.locator("tbody tr td:last-child").all_inner_texts()
    assert sum(int(cell) for cell in cells) == total
    no_serious_violations(page)
    page.get_by_role("link", name="/api/v1/landscape/E92000001/").click()
    expect(page.locator("body")).to_contain_text('"code"')
