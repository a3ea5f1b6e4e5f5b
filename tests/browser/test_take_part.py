"""“We take part in this partnership”, in a real browser on a desktop and a phone: a trust
says it takes part, the moderator's review shows the proposed member, approval lists it on
the partnership's page. And asking for an API key. axe on every page."""

import pytest
from playwright.sync_api import expect

from partnerships.models import ApiKeyRequest, Membership, OutboxMessage, Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, next_path):
    page.goto(live_server.url + f"/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()


def test_a_trust_takes_part_and_the_moderator_approves(
    device_page,
    live_server,
    partnerships,
    register,
    moderator,
    no_serious_violations,
    no_horizontal_overflow,
):
    page = device_page
    page.goto(live_server.url + "/trusts/9001/")
    page.get_by_role(
        "link", name="Does Example Multi-Academy Trust 1 take part in a partnership? Tell us"
    ).click()
    expect(page.locator("h1")).to_have_text("Tell us you take part in a partnership")
    expect(page.get_by_label("Trust", exact=True)).to_be_checked()
    expect(page.get_by_label("Its identifier")).to_have_value("9001")
    no_serious_violations(page)
    no_horizontal_overflow(page)

    page.locator("#id_partnership").select_option(label="Learn Sheffield")
    page.get_by_label("Its role in the partnership (if you know it)").fill("member")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your name")
    expect(page.get_by_label("Its identifier")).to_have_value("9001")  # kept
    no_serious_violations(page)
    page.get_by_label("Your name").fill("Sam Visitor")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: your suggestion has been received")
    reference = page.locator("#reference").inner_text()
    suggestion = Suggestion.objects.get(reference=reference)
    assert suggestion.kind == "membership"

    log_in(page, live_server, "/admin/partnerships/suggestion/")
    page.get_by_role("link", name=reference).click()
    member = page.locator("#proposed-member")
    expect(member).to_contain_text("Example Multi-Academy Trust 1")
    expect(member).to_contain_text("Trust: Example Multi-Academy Trust 1 (group UID 9001)")
    expect(member.get_by_role("link", name="Learn Sheffield")).to_be_visible()
    expect(page.locator("#changes")).to_contain_text("Not listed as a member")
    no_serious_violations(page)
    page.get_by_role("button", name="Approve the ticked fields").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{reference} approved")
    assert Membership.objects.filter(partnership__slug="learn-sheffield", trust_id=9001).exists()

    page.goto(live_server.url + "/partnerships/learn-sheffield/")
    members = page.locator("table.members")
    expect(members.get_by_role("link", name="Example Multi-Academy Trust 1")).to_be_visible()
    expect(members).to_contain_text("member")
    expect(page.locator(".change-log")).to_contain_text("Changed: Members")
    no_horizontal_overflow(page)
    no_serious_violations(page)


def test_asking_for_an_api_key(
    device_page, live_server, moderator, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    page.goto(live_server.url + "/data/api/")
    page.get_by_role("link", name="ask for an API key").click()
    expect(page.locator("h1")).to_have_text("Ask for an API key")
    no_serious_violations(page)
    page.get_by_label("Your name").fill("Robin Researcher")
    page.get_by_label("Your email address").fill("robin@")
    page.get_by_role("button", name="Ask for a key").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(summary).to_contain_text("Say what you will use the API for")
    expect(page.get_by_label("Your name")).to_have_value("Robin Researcher")
    no_serious_violations(page)
    no_horizontal_overflow(page)
    page.get_by_label("Your email address").fill("robin@example.org")
    page.get_by_label("What you will use the API for").fill(
        "A regional dashboard of partnerships, refreshed nightly."
    )
    page.get_by_role("button", name="Ask for a key").click()
    expect(page.locator("h1")).to_have_text("Thank you: your request has been received")
    expect(page.locator("main")).to_contain_text("emailed to you once")
    no_serious_violations(page)

    key_request = ApiKeyRequest.objects.get()
    log_in(page, live_server, f"/admin/partnerships/apikeyrequest/{key_request.pk}/change/")
    expect(page.locator("#intended-use")).to_contain_text("regional dashboard")
    no_serious_violations(page)
    page.get_by_role("button", name="Issue a key and email it").click()
    expect(page.locator(".messagelist")).to_contain_text("issued")
    key_request.refresh_from_db()
    secret = OutboxMessage.objects.get(secret=True).body
    assert key_request.api_key.prefix in secret
    key = secret.split("Api-Key ", 1)[1].split()[0]
    assert key not in page.content()
