"""A moderator's admin form opened before another change (an approved suggestion, most
often) is refused when saved, with what changed since, rather than saved over it."""

import pytest

from geodata.models import LocalAuthority
from partnerships import moderation
from partnerships.models import LAResearch, Partnership, Suggestion
from tests.factories import SUBMITTER, amendment

pytestmark = pytest.mark.django_db
MERTON = "E09000024"


def opened_form(client, url):
    """What the browser posts for the change form as it was shown now (inlines left alone)."""
    page = client.get(url)
    assert '<input type="hidden" name="version"' in page.content.decode()
    data = {bound.name: bound.value() for bound in page.context["adminform"].form if bound.value()}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def refusal(response):
    assert response.status_code == 200, "the stale form was saved"
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_a_partnership_form_opened_before_an_approval_is_refused(
    client, partnerships, admin_user, moderator
):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(
            sheffield,
            status="ceased",
            local_authorities=["E08000019", "E06000017"],
            focus_areas=["school_improvement", "attendance"],
        ),
    )
    client.force_login(admin_user)
    url = f"/admin/partnerships/partnership/{sheffield.pk}/change/"
    stale = opened_form(client, url)
    moderation.approve(Suggestion.objects.get().pk, moderator)

    response = client.post(url, {**stale, "name": "Learn Sheffield Ltd"})
    message = refusal(response)
    assert "Not saved: this partnership changed after you opened this form" in message
    assert "Status: “Active” when you opened this form, “Ceased” now." in message
    assert (
        "Local authorities: “Sheffield” when you opened this form, “Rutland, Sheffield” now."
        in message
    )
    assert (
        "Focus areas: “School improvement” when you opened this form, "
        "“Attendance, School improvement” now." in message
    )
    assert "Suggestion " in message and " approved" in message and "moderator" in message
    sheffield.refresh_from_db()
    assert (sheffield.name, sheffield.status) == ("Learn Sheffield", "ceased")
    assert Suggestion.objects.get().status == "approved"

    fresh = opened_form(client, url)
    assert client.post(url, {**fresh, "name": "Learn Sheffield Ltd"}).status_code == 302
    sheffield.refresh_from_db()
    assert (sheffield.name, sheffield.status) == ("Learn Sheffield Ltd", "ceased")


def test_a_research_form_opened_before_an_approval_is_refused(
    client, partnerships, la_research, admin_user, moderator
):
    merton = LAResearch.objects.get(local_authority__ons_code=MERTON)
    client.post(f"/areas/{MERTON}/research/suggest/", {**SUBMITTER, "summary": "Termly clusters."})
    client.force_login(admin_user)
    url = f"/admin/partnerships/laresearch/{merton.pk}/change/"
    stale = opened_form(client, url)
    moderation.approve(Suggestion.objects.get().pk, moderator)

    response = client.post(url, {**stale, "la_functions": "Admissions."})
    message = refusal(response)
    assert "Not saved: this LA research record changed after you opened this form" in message
    assert "“Termly clusters.” now." in message
    merton.refresh_from_db()
    assert (merton.summary, merton.la_functions) == ("Termly clusters.", "")

    fresh = opened_form(client, url)
    assert client.post(url, {**fresh, "la_functions": "Admissions."}).status_code == 302
    merton.refresh_from_db()
    assert (merton.summary, merton.la_functions) == ("Termly clusters.", "Admissions.")


@pytest.mark.parametrize("version", [None, "", "yesterday"])
def test_a_form_without_a_readable_version_is_refused(client, partnerships, admin_user, version):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.force_login(admin_user)
    url = f"/admin/partnerships/partnership/{sheffield.pk}/change/"
    data = opened_form(client, url)
    data.pop("version")
    if version is not None:
        data["version"] = version
    response = client.post(url, {**data, "name": "Learn Sheffield Ltd"})
    assert "Reopen it" in refusal(response)
    assert Partnership.objects.get(pk=sheffield.pk).name == "Learn Sheffield"


def test_adding_a_partnership_needs_no_version(client, partnerships, admin_user):
    client.force_login(admin_user)
    data = opened_form(client, "/admin/partnerships/partnership/add/")
    response = client.post(
        "/admin/partnerships/partnership/add/",
        {
            **data,
            "name": "Rutland Schools Partnership",
            "slug": "rutland-schools-partnership",
            "summary": "A partnership (test data).",
            "scope": "one_la",
            "local_authorities": [LocalAuthority.objects.get(ons_code="E06000017").pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Partnership.objects.filter(slug="rutland-schools-partnership").exists()
