"""A source whose link the weekly check found not working is marked on the partnership's
page, and still listed: on a desktop and a phone, clean under axe."""

import datetime

import pytest
from playwright.sync_api import expect

from partnerships.link_health import LinkResult, record_results
from partnerships.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dead_source_is_marked_not_hidden(
    device_page, live_server, partnerships, no_serious_violations, no_horizontal_overflow
):
    source = Source.objects.filter(partnership__slug="learn-sheffield").first()
    since = datetime.datetime(2027, 1, 4, 4, 30, tzinfo=datetime.UTC)
    record_results([LinkResult(source.url, status_code=404, final_url=source.url)], now=since)
    page = device_page
    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    item = page.locator(".sources li").filter(has=page.locator(".link-broken"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("link not working since 4 January 2027")
    expect(item.get_by_role("link", name=source.title)).to_have_attribute("href", source.url)
    no_horizontal_overflow(page)
    no_serious_violations(page)
