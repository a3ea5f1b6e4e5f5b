"""Confirm with the owner, walked in a browser on a desktop and a phone, clean under axe:
a moderator sends a request from the admin; the owner opens the emailed link and confirms
(the page then shows the confirmation and the status rule uses it); another owner proposes
a change, which reaches the moderation queue."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import OutboxMessage, Partnership, Suggestion, VerificationRequest
from partnerships.verification import link_for, send_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, next_url):
    page.goto(live_server.url + f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()


def emailed_path(address):
    message = OutboxMessage.objects.filter(to=address).latest("pk")
    return re.search(r"https?://[^/\s]+(/confirm/\S+/)", message.body).group(1)


def test_a_moderator_sends_a_request_and_the_owner_confirms(
    device_page,
    live_server,
    partnerships,
    moderator,
    no_serious_violations,
    no_horizontal_overflow,
):
    Partnership.objects.filter(slug="learn-sheffield").update(evidence_year=2019, status="unknown")
    page = device_page
    log_in(page, live_server, "/admin/partnerships/verificationrequest/add/")
    page.get_by_label("Partnership").select_option(label="Learn Sheffield")
    page.get_by_label("Contact email").fill("office@learnsheffield.example")
    page.get_by_label("Owner role").select_option("partnership")
    no_serious_violations(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("Awaiting an answer")

    page.context.clear_cookies()  # the owner is not signed in
    page.goto(live_server.url + emailed_path("office@learnsheffield.example"))
    expect(page.locator("h1")).to_have_text("Check our record of Learn Sheffield")
    no_horizontal_overflow(page)
    no_serious_violations(page)
    page.get_by_role("button", name="This record is accurate as of today").click()
    expect(page.locator("h1")).to_have_text("Thank you for confirming")
    no_serious_violations(page)
    page.get_by_role("link", name="See the record").click()
    today = timezone.localdate()
    expect(page.locator("#confirmed")).to_have_text(
        f"Confirmed by the partnership on {today:%-d %B %Y}"
    )
    # The status rule takes the confirmation as this year's evidence.
    assert Partnership.objects.get(slug="learn-sheffield").status == "active"
    no_serious_violations(page)


def test_another_owner_proposes_a_change_that_reaches_the_queue(
    device_page,
    live_server,
    partnerships,
    moderator,
    no_serious_violations,
    no_horizontal_overflow,
):
    casl = Partnership.objects.exclude(slug="learn-sheffield").get()
    verification = send_request(
        VerificationRequest(
            partnership=casl, contact_email="lead@casl.example", owner_role="partnership"
        ),
        moderator,
    )
    page = device_page
    page.goto(live_server.url + "/" + link_for(verification).split("/", 3)[3])
    page.get_by_role("link", name="Propose changes instead").click()
    expect(page.locator("h1")).to_have_text(f"Suggest a change to {casl.name}")
    page.get_by_label("Attendance").check()
    page.get_by_label("Your name").fill("Partnership lead")
    page.get_by_label("Your email address").fill("lead@casl.example")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("#reference")).to_be_visible()
    no_serious_violations(page)
    suggestion = Suggestion.objects.get(partnership=casl)
    verification.refresh_from_db()
    assert (verification.outcome, verification.suggestion) == ("changes_proposed", suggestion)

    log_in(page, live_server, "/admin/partnerships/suggestion/")
    expect(
        page.locator("#result_list").get_by_role("link", name=suggestion.reference)
    ).to_be_visible()
