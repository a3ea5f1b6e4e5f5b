"""Comparing areas: built from "areas like this" and from "Add to comparison", shared by
its address, the back button, the CSV, a phone (stacked) and the keyboard."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"


def test_four_areas_from_areas_like_this(
    device_page,
    live_server,
    partnerships,
    indicators,
    baseline,
    browser,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    page.goto(live_server.url + f"/areas/{SHEFFIELD}/")
    expect(page.locator("#similar-results tbody tr")).to_have_count(10)
    alike = page.locator("#similar-results tbody tr th a").all_inner_texts()[:3]
    page.get_by_role("link", name="Compare Sheffield with the three areas most like it").click()
    page.wait_for_url("**/compare/?areas=*")
    cards = page.locator(".compare-card h2")
    expect(cards).to_have_text(["Sheffield", *alike, "England"])
    expect(page.locator("#compare-full")).to_be_visible()
    expect(page.get_by_text("Learn Sheffield")).to_be_visible()
    no_horizontal_overflow(page)
    no_serious_violations(page)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    if page.device == "phone":  # stacked, one area under the other
        assert second["y"] > first["y"] + 100 and abs(second["x"] - first["x"]) < 2
    else:  # side by side
        assert abs(second["y"] - first["y"]) < 2 and second["x"] > first["x"] + 100

    # The address is the comparison: another visitor opening it sees the same areas.
    shared = browser.new_context()
    other = shared.new_page()
    other.goto(page.url)
    expect(other.locator(".compare-card h2")).to_have_text(["Sheffield", *alike, "England"])
    shared.close()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this comparison as CSV").click()
    assert download.value.suggested_filename == "comparison.csv"
    header = download.value.path().read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(f"measure,Sheffield,{alike[0]}")

    # Removing an area, then back: the four again; back again: the area page.
    address = page.url
    page.get_by_role("link", name=f"Remove {alike[2]} from the comparison").click()
    expect(cards).to_have_count(4)
    page.go_back()
    assert page.url == address
    expect(cards).to_have_count(5)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sheffield")


def test_add_to_comparison_and_by_keyboard(page, live_server, partnerships, no_serious_violations):
    page.goto(live_server.url + "/areas/E09000007/")
    page.get_by_role("link", name="Add Camden to a comparison").click()
    expect(page.locator(".compare-card h2")).to_have_text(["Camden", "England"])
    # By keyboard: the add field, a name, Enter.
    page.get_by_label("Add an area (name or code)").focus()
    page.keyboard.type("sheffield")
    page.keyboard.press("Enter")
    expect(page.locator(".compare-card h2")).to_have_text(["Camden", "Sheffield", "England"])
    assert page.url.endswith(f"/compare/?areas=E09000007,{SHEFFIELD}")
    # An area page adds itself to the comparison being built in this tab.
    page.goto(live_server.url + "/areas/E08000025/")
    add = page.get_by_role("link", name="Add Birmingham to your comparison (3 areas)")
    add.click()
    expect(page.locator(".compare-card h2")).to_have_text(
        ["Camden", "Sheffield", "Birmingham", "England"]
    )
    # A mistyped area: a clear message, the comparison kept.
    page.get_by_label("Add an area (name or code)").fill("Atlantis")
    page.get_by_role("button", name="Add to comparison").click()
    expect(page.get_by_role("alert")).to_contain_text("No local authority is called")
    expect(page.locator(".compare-card h2")).to_have_count(4)  # the comparison kept
    no_serious_violations(page)
