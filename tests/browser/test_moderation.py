"""Moderators: the queue opens on pending suggestions; a change inside a list is shown item
by item."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def suggest_attendance(page, live_server):
    page.goto(live_server.url + "/partnerships/learn-sheffield/suggest/")
    page.get_by_label("Attendance").check()
    page.get_by_label("Your name").fill("Sam Visitor")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("#reference")).to_be_visible()
    return Suggestion.objects.order_by("-pk").first()


def test_queue_opens_on_pending_and_lists_show_each_change(
    page, live_server, partnerships, moderator, no_serious_violations
):
    suggestion = suggest_attendance(page, live_server)
    decided = suggest_attendance(page, live_server)
    Suggestion.objects.filter(pk=decided.pk).update(status="rejected")

    page.goto(live_server.url + "/admin/login/?next=/admin/partnerships/suggestion/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name=suggestion.reference)).to_be_visible()
    expect(results.get_by_role("link", name=decided.reference)).to_have_count(0)
    expect(page.locator("#changelist-filter li.selected").first).to_have_text("Pending review")
    page.locator("#changelist-filter").get_by_role("link", name="All statuses").click()
    expect(results.get_by_role("link", name=decided.reference)).to_be_visible()

    page.goto(live_server.url + f"/admin/partnerships/suggestion/{suggestion.pk}/change/")
    focus = page.locator("#changes tr", has=page.get_by_text("Focus areas", exact=True))
    expect(focus.locator(".list-diff li.added")).to_have_text("Added: + Attendance")
    expect(focus.locator(".list-diff li.kept").first).to_be_visible()
    expect(focus.locator(".list-diff li.removed")).to_have_count(0)
    no_serious_violations(page)
