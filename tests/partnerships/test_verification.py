"""Confirm with the owner: a moderator sends a request from the admin (its email through
the outbox, with a signed single-use link valid 30 days); the owner confirms the record
(dated, by role, on the page, in the API and downloads, and as evidence for the status
rule) or proposes changes (an ordinary suggestion). Forged, foreign, expired and reused
links get a clear page and change nothing."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone

from partnerships.models import (
    LAResearch,
    OutboxMessage,
    Partnership,
    Suggestion,
    VerificationRequest,
)
from partnerships.verification import SALT, token_for
from tests.factories import amendment, research_amendment

pytestmark = pytest.mark.django_db
OWNER = "office@learnsheffield.example"


def sent_from_the_admin(client, moderator, **record):
    client.force_login(moderator)
    response = client.post(
        "/admin/partnerships/verificationrequest/add/",
        {**record, "contact_email": OWNER, "owner_role": "partnership"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    verification = VerificationRequest.objects.get()
    [message] = OutboxMessage.objects.filter(to=OWNER)
    return verification, message


def link_in(message):
    [path] = re.findall(r"https?://[^/\s]+(/confirm/[^\s]+/)", message.body)
    return path


@pytest.fixture
def sheffield(partnerships):
    return Partnership.objects.get(slug="learn-sheffield")


def test_a_moderator_sends_a_request_and_the_owner_confirms(client, sheffield, moderator):
    Partnership.objects.filter(pk=sheffield.pk).update(evidence_year=2019, status="unknown")
    verification, message = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    assert verification.sent_by == moderator and verification.outcome == "awaiting"
    assert verification.expires_at - verification.sent_at == datetime.timedelta(days=30)
    assert "Learn Sheffield" in message.subject
    link = link_in(message)
    page = client.get(link)
    assert (
        page.status_code == 200 and "Check our record of Learn Sheffield" in page.content.decode()
    )
    assert OWNER not in page.content.decode()
    done = client.post(link)
    assert done.status_code == 200 and "Thank you for confirming" in done.content.decode()
    today = timezone.localdate()
    sheffield.refresh_from_db()
    assert (sheffield.confirmed_on, sheffield.confirmed_by) == (today, "partnership")
    assert sheffield.last_verified == today
    # The status rule counts the confirmation as this year's evidence.
    assert (sheffield.evidence_year, sheffield.status) == (today.year, "active")
    verification.refresh_from_db()
    assert verification.outcome == "confirmed" and verification.answered_at
    public = client.get("/partnerships/learn-sheffield/").content.decode()
    assert f"Confirmed by the partnership on {today:%-d %B %Y}" in public
    assert OWNER not in public
    api = client.get("/api/v1/partnerships/learn-sheffield/").json()
    assert (api["confirmed_on"], api["confirmed_by"]) == (today.isoformat(), "partnership")
    csv = client.get("/data/partnerships.csv").content.decode()
    assert "confirmed_on,confirmed_by" in csv.splitlines()[0]
    assert f"{today.isoformat()},partnership" in csv
    assert sheffield.change_log.first().origin == "owner"


def test_a_used_link_changes_nothing(client, sheffield, moderator):
    verification, message = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    link = link_in(message)
    client.post(link)
    sheffield.refresh_from_db()
    confirmed = (sheffield.confirmed_on, sheffield.updated_at)
    for response in (client.get(link), client.post(link), client.get(link + "changes/")):
        assert response.status_code == 410
        assert "This link has been used" in response.content.decode()
    sheffield.refresh_from_db()
    assert (sheffield.confirmed_on, sheffield.updated_at) == confirmed


def test_an_expired_link_changes_nothing(client, sheffield, moderator):
    verification, message = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    VerificationRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(link_in(message))
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    sheffield.refresh_from_db()
    assert sheffield.confirmed_on is None
    verification.refresh_from_db()
    assert verification.outcome == "awaiting" and verification.state() == "Expired unanswered"


def test_an_old_signature_is_expired_even_if_the_request_is_not(client, sheffield, moderator):
    verification, _ = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    signer = signing.TimestampSigner(salt=SALT)
    old = signing.dumps({"id": verification.pk, "n": verification.nonce}, salt=SALT)
    value, stamp, sig = old.rsplit(":", 2)
    aged = signing.b62_encode(signing.b62_decode(stamp) - 31 * 24 * 3600)
    token = signer.sign(value).rsplit(":", 2)[0] + ":" + aged
    token = token + ":" + signer.signature(token)
    response = client.post(f"/confirm/{token}/")
    assert response.status_code == 410 and "This link has expired" in response.content.decode()


@pytest.mark.parametrize(
    "make_token",
    [
        lambda v: token_for(v)[:-2] + "xx",  # tampered signature
        lambda v: signing.dumps({"id": v.pk, "n": v.nonce}, salt="another.purpose"),  # foreign
        lambda v: signing.dumps({"id": v.pk, "n": "guessed"}, salt=SALT),  # wrong nonce
        lambda v: signing.dumps({"id": str(v.pk), "n": [v.nonce]}, salt=SALT),  # odd types
        lambda v: signing.dumps([v.pk], salt=SALT),
        lambda v: "not-a-token",
    ],
)
def test_forged_or_foreign_links_get_a_clear_page(client, sheffield, moderator, make_token):
    verification, _ = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    token = make_token(verification)
    for response in (client.post(f"/confirm/{token}/"), client.get(f"/confirm/{token}/changes/")):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    sheffield.refresh_from_db()
    assert sheffield.confirmed_on is None
    verification.refresh_from_db()
    assert verification.outcome == "awaiting"


def test_the_owner_proposes_changes_as_an_ordinary_suggestion(client, sheffield, moderator):
    verification, message = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    link = link_in(message) + "changes/"
    form = client.get(link)
    assert (
        form.status_code == 200 and "Suggest a change to Learn Sheffield" in form.content.decode()
    )
    response = client.post(link, amendment(sheffield, founded_year="2014"))
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.partnership, suggestion.status) == (sheffield, "pending")
    assert suggestion.proposed == {"founded_year": 2014}
    verification.refresh_from_db()
    assert (verification.outcome, verification.suggestion) == ("changes_proposed", suggestion)
    assert client.post(link_in(message)).status_code == 410  # answered: no confirming now
    sheffield.refresh_from_db()
    assert sheffield.confirmed_on is None


def test_the_council_confirms_its_research_record(client, la_research, moderator):
    research = LAResearch.objects.get(local_authority__ons_code="E08000019")
    verification, message = sent_from_the_admin(client, moderator, research=research.pk)
    VerificationRequest.objects.update(owner_role="council")
    assert client.post(link_in(message)).status_code == 200
    research.refresh_from_db()
    assert (research.confirmed_on, research.confirmed_by) == (timezone.localdate(), "council")
    area = client.get("/areas/E08000019/").content.decode()
    assert "Confirmed by the council on" in area
    api = client.get("/api/v1/local-authorities/E08000019/").json()
    assert api["research"]["confirmed_by"] == "council"
    assert ",council," in client.get("/data/la-research.csv").content.decode()


def test_a_research_owner_proposes_changes(client, la_research, moderator):
    research = LAResearch.objects.get(local_authority__ons_code="E08000019")
    verification, message = sent_from_the_admin(client, moderator, research=research.pk)
    link = link_in(message) + "changes/"
    response = client.post(link, research_amendment(research, summary="Termly clusters."))
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.research, suggestion.kind) == (research, "research")
    verification.refresh_from_db()
    assert verification.outcome == "changes_proposed"


def test_one_reminder_and_the_admin_lists_outcomes(client, sheffield, moderator):
    verification, _ = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    client.force_login(moderator)
    url = "/admin/partnerships/verificationrequest/"
    remind = {"action": "remind", "_selected_action": [verification.pk]}
    client.post(url, remind)
    assert OutboxMessage.objects.filter(to=OWNER, subject__startswith="Reminder:").count() == 1
    response = client.post(url, remind, follow=True)
    assert "already reminded once" in response.content.decode()
    assert OutboxMessage.objects.filter(to=OWNER).count() == 2
    listed = client.get(url, {"state": "awaiting"})
    assert listed.context["cl"].result_count == 1
    worklist = {i["label"]: i["count"] for i in client.get("/admin/worklist/").context["items"]}
    assert worklist["Verification requests awaiting an answer"] == 1
    VerificationRequest.objects.update(expires_at=timezone.now())
    assert client.get(url, {"state": "expired"}).context["cl"].result_count == 1
    assert "Expired unanswered" in client.get(url).content.decode()


def test_a_request_needs_a_good_address(client, sheffield, moderator):
    client.force_login(moderator)
    response = client.post(
        "/admin/partnerships/verificationrequest/add/",
        {
            "partnership": sheffield.pk,
            "contact_email": "not an address",
            "owner_role": "partnership",
        },
    )
    assert response.status_code == 200
    assert "contact_email" in response.context["adminform"].form.errors
    assert not VerificationRequest.objects.exists() and not OutboxMessage.objects.exists()


def test_contact_addresses_are_erased_after_the_retention_period(
    client, sheffield, moderator, settings
):
    from partnerships.retention import erase_finished_contact_addresses

    verification, message = sent_from_the_admin(client, moderator, partnership=sheffield.pk)
    client.post(link_in(message))
    later = timezone.now() + datetime.timedelta(days=settings.SUGGESTION_RETENTION_DAYS + 1)
    assert erase_finished_contact_addresses(now=timezone.now()) == 0
    assert erase_finished_contact_addresses(now=later) == 1
    verification.refresh_from_db()
    assert verification.contact_email == "" and verification.contact_erased_at == later
    assert not OutboxMessage.objects.filter(to=OWNER).exists()
    sheffield.refresh_from_db()
    assert sheffield.confirmed_by == "partnership"  # the public confirmation stays
