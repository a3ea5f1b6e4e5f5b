"""Confirm with the owner: a moderator asks a record's owner (a partnership, or the council
for its LA's research record) whether the record as published is accurate.

The email carries a signed link (Django's signing, salted for this purpose only) naming
the request and its random nonce; it is valid for 30 days and answers once. The owner
either confirms the record "accurate as of today", recorded on the record with the date
and the owner's role (and counted as evidence for the status rule: a confirmation in a
year makes that year the evidence year), or proposes changes, which become an ordinary
suggestion. A link that is tampered with, from elsewhere, expired or used changes nothing.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from partnerships.changelog import recording
from partnerships.models import (
    VERIFICATION_VALID_FOR,
    ChangeLogEntry,
    Partnership,
    VerificationRequest,
    status_from_evidence,
)
from partnerships.notifications import queue, send_outbox_soon

SALT = "partnerships.verification"


class LinkProblem(Exception):
    """Why a link cannot be answered: `invalid` (tampered with, or not one of ours),
    `expired`, or `used`."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


class VerificationError(Exception):
    """A moderator's action that cannot be done, with the reason."""


def token_for(verification):
    return signing.dumps({"id": verification.pk, "n": verification.nonce}, salt=SALT)


def link_for(verification):
    return f"{settings.SITE_URL}/confirm/{token_for(verification)}/"


def awaiting_request(token, lock=False):
    """The request `token` names, if it can still be answered; else LinkProblem."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VERIFICATION_VALID_FOR)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    if not (isinstance(data, dict) and type(data.get("id")) is int and type(data.get("n")) is str):
        raise LinkProblem("invalid")
    requests = VerificationRequest.objects.select_related(
        "partnership", "research__local_authority"
    )
    if lock:
        requests = requests.select_for_update(of=("self",))
    verification = requests.filter(pk=data["id"], nonce=data["n"]).first()
    if verification is None:
        raise LinkProblem("invalid")
    if verification.outcome != VerificationRequest.Outcome.AWAITING:
        raise LinkProblem("used")
    if verification.expired:
        raise LinkProblem("expired")
    return verification


def queue_request_email(verification, reminder=False):
    record = verification.record
    subject = f"Is our record of {record_title(verification)} accurate?"
    queue(
        [verification.contact_email],
        ("Reminder: " if reminder else "") + subject,
        "partnerships/email/verification_request.txt",
        {
            "verification": verification,
            "record": record,
            "title": record_title(verification),
            "link": link_for(verification),
            "reminder": reminder,
            "site_url": settings.SITE_URL,
        },
        verification=verification,
    )


def record_title(verification):
    if verification.partnership_id:
        return verification.partnership.name
    return f"school collaboration in {verification.research.local_authority.name}"


def send_request(verification, moderator):
    """Save a new request and queue its email, in one transaction."""

    with transaction.atomic():
        verification.sent_by = moderator
        verification.sent_at = timezone.now()
        verification.expires_at = verification.sent_at + VERIFICATION_VALID_FOR
        verification.full_clean()
        verification.save()
        queue_request_email(verification)
        transaction.on_commit(send_outbox_soon)
    return verification


def send_reminder(verification):
    """The one reminder a request may have, while it awaits an answer."""

    with transaction.atomic():
        verification = VerificationRequest.objects.select_for_update().get(pk=verification.pk)
        if verification.outcome != VerificationRequest.Outcome.AWAITING:
            raise VerificationError(f"{verification}: already answered.")
        if verification.expired:
            raise VerificationError(f"{verification}: expired; send a new request.")
        if verification.reminded_at:
            raise VerificationError(f"{verification}: already reminded once.")
        verification.reminded_at = timezone.now()
        verification.save(update_fields=["reminded_at"])
        queue_request_email(verification, reminder=True)
        transaction.on_commit(send_outbox_soon)
    return verification


def confirm(token, today=None):
    """The owner confirms the record accurate as of today: dated, by role, on the record,
    and as evidence for the status rule. Once only (the request is locked)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        verification = awaiting_request(token, lock=True)
        record = (
            type(verification.record).objects.select_for_update().get(pk=verification.record.pk)
        )
        with recording(record, ChangeLogEntry.Origin.OWNER):
            record.confirmed_on = today
            record.confirmed_by = verification.owner_role
            record.last_verified = today
            if isinstance(record, Partnership):
                apply_confirmation_as_evidence(record, today)
            record.save()
        verification.outcome = VerificationRequest.Outcome.CONFIRMED
        verification.answered_at = timezone.now()
        verification.save(update_fields=["outcome", "answered_at"])
    return verification


def apply_confirmation_as_evidence(partnership, today):
    """The status rule, with the confirmation as the latest evidence of it working."""
    ceased = partnership.status == Partnership.Status.CEASED
    if not ceased and (partnership.evidence_year or 0) < today.year:
        partnership.evidence_year = today.year
    partnership.status = status_from_evidence(partnership.evidence_year, today.year, ceased=ceased)


def propose_changes(token, submit):
    """The owner's proposed changes, saved by `submit()` as an ordinary suggestion, and
    the request answered with it, in one transaction."""
    with transaction.atomic():
        verification = awaiting_request(token, lock=True)
        suggestion = submit()
        verification.outcome = VerificationRequest.Outcome.CHANGES_PROPOSED
        verification.answered_at = timezone.now()
        verification.suggestion = suggestion
        verification.save(update_fields=["outcome", "answered_at", "suggestion"])
    return suggestion
