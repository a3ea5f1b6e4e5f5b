"""A visitor reads what changed across England, narrows it to an area and a date range,
meets a clear error for a bad date range, and finds the feed to follow: on a desktop and
a phone, clean under axe."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_filters_what_changed_and_finds_the_feed(
    device_page, live_server, partnerships, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="What changed").click()
    expect(page.locator("h1")).to_have_text("What changed")
    changes = page.get_by_role("list", name="2 changes")
    expect(changes.get_by_role("listitem")).to_have_count(2)
    no_horizontal_overflow(page)
    no_serious_violations(page)

    page.get_by_label("Area").select_option(label="Sheffield")
    page.get_by_role("button", name="Show changes").click()
    expect(page.locator("h1")).to_have_text("What changed in Sheffield")
    expect(page.get_by_role("list", name="1 change")).to_contain_text("Learn Sheffield")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]').last
    expect(feed).to_have_attribute("href", "/areas/E08000019/changes/feed/")
    no_serious_violations(page)

    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To").fill("2026-02-01")
    page.get_by_role("button", name="Show changes").click()
    expect(page).to_have_title(
        "Error: What changed in Sheffield: England's education partnerships map"
    )
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The end date must be on or after the start date.")
    no_horizontal_overflow(page)
    no_serious_violations(page)

    page.get_by_label("From").fill("")
    page.get_by_label("To").fill("")
    page.get_by_role("button", name="Show changes").click()
    page.get_by_role("link", name="Learn Sheffield").click()
    follow = page.get_by_role("link", name="Follow changes to this partnership (Atom feed)")
    expect(follow).to_be_visible()
