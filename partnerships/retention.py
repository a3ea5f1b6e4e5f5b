"""Data retention: submitters' personal data is kept only as long as moderation needs it."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from partnerships.models import ApiKeyRequest, OutboxMessage, Suggestion, VerificationRequest


def erase_expired_personal_data(now=None):
    """Blank submitters' details, and the emails that carried them, after the retention
    period that follows each decision. Returns how many suggestions were erased."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SUGGESTION_RETENTION_DAYS)
    expired = Suggestion.objects.filter(decided_at__lt=cutoff, personal_data_erased_at__isnull=True)
    with transaction.atomic():
        ids = list(expired.select_for_update().values_list("pk", flat=True))
        Suggestion.objects.filter(pk__in=ids).update(
            submitter_name="",
            submitter_email="",
            submitter_organisation="",
            submitter_role="",
            client_fingerprint="",
            personal_data_erased_at=now or timezone.now(),
        )
        OutboxMessage.objects.filter(suggestion_id__in=ids).update(to="", body="")
    erase_decided_api_key_requests(cutoff, now or timezone.now())
    return len(ids)


def erase_decided_api_key_requests(cutoff, now):
    """Requesters' details (the key issued stays, known by its prefix) after the same
    retention period as suggestions'."""
    expired = ApiKeyRequest.objects.filter(
        decided_at__lt=cutoff, personal_data_erased_at__isnull=True
    )
    ids = list(expired.select_for_update().values_list("pk", flat=True))
    ApiKeyRequest.objects.filter(pk__in=ids).update(
        submitter_name="",
        submitter_email="",
        submitter_organisation="",
        client_fingerprint="",
        personal_data_erased_at=now,
    )
    OutboxMessage.objects.filter(api_key_request_id__in=ids).update(to="", body="")
    return len(ids)


def erase_finished_contact_addresses(now=None):
    """Blank the owners' contact addresses (and the emails that carried them) the same
    retention period after a verification request was answered or expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUGGESTION_RETENTION_DAYS)
    finished = VerificationRequest.objects.filter(contact_erased_at__isnull=True).filter(
        models.Q(answered_at__lt=cutoff)
        | models.Q(outcome=VerificationRequest.Outcome.AWAITING, expires_at__lt=cutoff)
    )
    with transaction.atomic():
        ids = list(finished.select_for_update().values_list("pk", flat=True))
        VerificationRequest.objects.filter(pk__in=ids).update(
            contact_email="", contact_erased_at=now
        )
        OutboxMessage.objects.filter(verification_id__in=ids).update(to="", body="")
    return len(ids)
