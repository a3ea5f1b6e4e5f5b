"""Issue 24 item 6: a refused suggestion (429) keeps what was typed, and the confirmation
page says what happens next."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_in(page, summary):
    page.get_by_label("Name of the partnership").fill("Rutland Schools Partnership")
    page.get_by_label("What it is and does").fill(summary)
    page.get_by_label("Your name").fill("Sam Visitor")
    page.get_by_label("Your email address").fill("sam@example.org")


def test_a_refused_suggestion_keeps_the_form_filled_in(
    device_page, live_server, partnerships, settings, no_serious_violations
):
    settings.SUGGESTIONS_PER_EMAIL_PER_HOUR = 1
    page = device_page
    page.goto(live_server.url + "/suggest/?la=E06000017")
    fill_in(page, "A proposed partnership (test data).")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: your suggestion has been received")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    no_serious_violations(page)

    page.goto(live_server.url + "/suggest/?la=E06000017")
    fill_in(page, "A second one, typed with care (test data).")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send suggestion").click()
    assert answer.value.status == 429
    expect(page.locator(".error-summary")).to_contain_text(
        "sam@example.org has sent 1 suggestion in the last hour"
    )
    expect(page.get_by_label("What it is and does")).to_have_value(
        "A second one, typed with care (test data)."
    )
    expect(page.get_by_label("Your name")).to_have_value("Sam Visitor")
    assert Suggestion.objects.count() == 1
    no_serious_violations(page)
