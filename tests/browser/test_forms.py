"""The suggestion form in the GOV.UK pattern, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_errors_are_summarised_focused_specific_and_in_the_title(
    device_page, live_server, partnerships, no_serious_violations, no_horizontal_overflow
):
    page = device_page
    page.goto(live_server.url + "/suggest/?la=E06000017")
    expect(page.locator('label[for="id_name"]')).to_contain_text("(required)")
    expect(page.locator('label[for="id_submitter_email"]')).to_contain_text("(required)")
    expect(page.locator('label[for="id_website"]')).not_to_contain_text("(required)")
    expect(page.get_by_role("link", name="privacy notice").first).to_have_attribute(
        "href", "/privacy/"
    )

    # The 153-item multi-select is a type-ahead; the area from the link is already chosen.
    chosen = page.get_by_role("list", name="Chosen local authorities")
    expect(chosen).to_contain_text("Rutland")
    areas = page.get_by_role("combobox", name="Local authorities covered")
    areas.fill("camd")
    expect(page.get_by_role("option", name="Camden")).to_be_visible()
    areas.press("Enter")
    expect(chosen.get_by_role("button", name="Remove Camden")).to_be_visible()
    chosen.get_by_role("button", name="Remove Rutland").click()
    expect(chosen).not_to_contain_text("Rutland")
    expect(areas).to_be_focused()
    no_serious_violations(page)

    page.get_by_label("What it is and does").fill("Schools of Camden working together.")
    page.get_by_role("button", name="Send suggestion").click()
    assert page.title().startswith("Error: Suggest a partnership")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the name of the partnership")
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).not_to_contain_text("This field is required")
    expect(page.locator("#id_name_error")).to_have_text("Error: Enter the name of the partnership")
    expect(chosen).to_contain_text("Camden")  # what was chosen survives the round trip
    no_horizontal_overflow(page)
    no_serious_violations(page)

    summary.get_by_role("link", name="Enter your name").click()
    expect(page.get_by_label("Your name")).to_be_focused()
    page.get_by_label("Your name").fill("Alex Example")
    page.get_by_label("Name of the partnership").fill("Camden Learning")
    page.get_by_label("Your email address").fill("alex@example.org")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: your suggestion has been received")
    assert Suggestion.objects.get().proposed["local_authorities"] == ["E09000007"]
