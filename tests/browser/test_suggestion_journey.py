"""The whole journey in a real browser: a visitor suggests a change, a moderator approves
it in the admin, and the change shows on the public page and in the API."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partnerships.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggest_approve_and_see_it_published(
    page, live_server, partnerships, django_user_model, no_serious_violations
):
    moderator = django_user_model.objects.create_user(
        "moderator", "moderator@example.org", "a-long-passphrase", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))

    # A visitor, from the partnership's page.
    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    page.get_by_role("link", name="Suggest a change, or report that it has closed").click()
    expect(page.get_by_label("Name of the partnership")).to_have_value("Learn Sheffield")
    no_serious_violations(page)
    page.get_by_label("Status").select_option("ceased")
    page.get_by_label("Attendance").check()
    page.get_by_label("Evidence: links to public pages that show this").fill(
        "https://www.learnsheffield.co.uk/"
    )
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your name")
    page.get_by_label("Your name").fill("Sam Visitor")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: your suggestion has been received")
    reference = page.locator("#reference").inner_text()
    assert reference == Suggestion.objects.get().reference

    # Nothing is public yet.
    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    expect(page.locator("dl.facts")).to_contain_text("Active")

    # The moderator reviews and approves it.
    page.goto(live_server.url + "/admin/login/?next=/admin/partnerships/suggestion/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=reference).click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Ceased")
    expect(changes).to_contain_text("Attendance")
    page.get_by_role("button", name="Approve the ticked fields").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{reference} approved")

    # The public page and the API show it, with a change log and no personal data.
    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    expect(page.locator("dl.facts")).to_contain_text("Ceased")
    expect(page.locator(".tags")).to_contain_text("Attendance")
    expect(page.locator(".change-log")).to_contain_text("Changed: Status, Focus areas")
    expect(page.locator("body")).not_to_contain_text("Sam Visitor")
    api = page.request.get(live_server.url + "/api/v1/partnerships/learn-sheffield/").json()
    assert api["status"] == "ceased" and "attendance" in api["focus_areas"]
    assert "https://www.learnsheffield.co.uk/" in [s["url"] for s in api["sources"]]
