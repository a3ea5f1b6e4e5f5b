"""Email alerts walked in a browser on a desktop and a phone, clean under axe: a visitor
subscribes from an area page (a bad address first), confirms from the email, receives a
digest after an approval (through the outbox), and unsubscribes in one click."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships import moderation
from partnerships.alerts import send_digests
from partnerships.models import OutboxMessage, Partnership, Subscription, Suggestion
from tests.factories import amendment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "reader@example.org"


def path_in(body, prefix):
    return re.search(rf"https?://[^/\s]+(/{prefix}/\S+/)", body).group(1)


def test_a_visitor_subscribes_confirms_gets_a_digest_and_unsubscribes(
    device_page,
    live_server,
    partnerships,
    moderator,
    client,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    page.goto(live_server.url + "/areas/E08000019/")
    page.get_by_role("link", name="Get email alerts").click()
    expect(page.locator("h1")).to_have_text("Email alerts for Sheffield")
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter an email address in the correct format"
    )
    no_serious_violations(page)
    page.get_by_label("Your email address").fill(ADDRESS)
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    no_horizontal_overflow(page)
    no_serious_violations(page)

    confirmation = OutboxMessage.objects.get(to=ADDRESS)
    page.goto(live_server.url + path_in(confirmation.body, "follow/confirm"))
    page.get_by_role("button", name="Confirm my alerts").click()
    expect(page.locator("h1")).to_have_text("Your alerts are on")
    no_serious_violations(page)

    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased"))
    moderation.approve(Suggestion.objects.get().pk, moderator, fields=["status"])
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    digest = OutboxMessage.objects.filter(to=ADDRESS).latest("pk")
    assert "Learn Sheffield: Changed: Status" in digest.body
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(live_server.url + path_in(digest.body, "follow/unsubscribe"))
    no_serious_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    assert not Subscription.objects.exists()
    no_serious_violations(page)
