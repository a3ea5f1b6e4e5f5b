"""The open data page: every file with its size, date, licence and a dictionary of its columns;
the schools downloads carry the register's licence."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


FILES = 9  # 4 partnership files, 2 GeoJSON, the landscape over time, 2 of schools


def test_open_data_page_describes_every_file(
    device_page,
    live_server,
    partnerships,
    la_research,
    register,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    page.goto(live_server.url + "/data/")
    rows = page.locator("#downloads tbody tr")
    expect(rows).to_have_count(FILES)
    for index in range(FILES):
        row = rows.nth(index)
        link = row.locator("th a")
        name = link.inner_text()
        served = page.request.get(live_server.url + link.get_attribute("href"))
        assert served.status == 200, name
        assert int(row.locator("td[data-bytes]").get_attribute("data-bytes")) == len(
            served.body()
        ), name
        expect(row.locator("time")).to_have_count(1)
        # A licence is its short name, linked: no address stretching the table.
        expect(row.locator("td.licence a").first).to_have_attribute("href", re.compile("^https://"))
        assert "(https://" not in row.locator("td.licence").inner_text()
        assert 'rel="license"' in served.headers["link"]
    # Every column of every file is described.
    expect(page.locator(".data-dictionary")).to_have_count(FILES)
    expect(page.locator(".data-dictionary dd", has_text="Not yet described.")).to_have_count(0)
    expect(page.locator("#downloads")).to_contain_text("schools.geojson")
    no_horizontal_overflow(page)
    no_serious_violations(page)


def test_schools_downloads_carry_the_register_and_its_licence(page, live_server, register):
    body = page.request.get(live_server.url + "/data/schools.csv").text()
    rows = list(csv.DictReader(io.StringIO(body)))
    deansfield = next(row for row in rows if row["urn"] == "143599")
    assert deansfield["name"] == "Deansfield Primary School"
    assert deansfield["la_name"] == "Greenwich"
    assert "Open Government Licence v3.0" in deansfield["licence"]
    assert "Get Information About Schools" in deansfield["attribution"]
    collection = page.request.get(live_server.url + "/data/schools.geojson").json()
    assert "Open Government Licence v3.0" in collection["licence"]
    assert len(collection["features"]) == len(rows)
    point = next(f for f in collection["features"] if f["properties"]["urn"] == 143599)
    assert point["geometry"]["type"] == "Point"
