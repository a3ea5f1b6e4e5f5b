"""Data retention: submitters' personal data is kept only as long as moderation needs it."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from partnerships.models import ApiKeyRequest, OutboxMessage, Suggestion, VerificationRequest


def erase_expired_personal_data(now=None):
    """Blank submitters' details, and the emails that carried them, after the retention
    period that follows each decision (suggestions; API key requests, whose key stays,
    known by its prefix). Returns how many suggestions were erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUGGESTION_RETENTION_DAYS)
    with transaction.atomic():
        erased = erase_decided(Suggestion, "suggestion_id", cutoff, now)
        erase_decided(ApiKeyRequest, "api_key_request_id", cutoff, now)
    return erased


def erase_decided(model, outbox_link, cutoff, now):
    """Blank the `PERSONAL_FIELDS` of `model`'s requests decided before `cutoff`, and the
    outbox messages linked to them by `outbox_link`."""
    expired = model.objects.filter(decided_at__lt=cutoff, personal_data_erased_at__isnull=True)
    ids = list(expired.select_for_update().values_list("pk", flat=True))
    blank = dict.fromkeys(model.PERSONAL_FIELDS, "")
    model.objects.filter(pk__in=ids).update(**blank, personal_data_erased_at=now)
    OutboxMessage.objects.filter(**{f"{outbox_link}__in": ids}).update(to="", body="")
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
