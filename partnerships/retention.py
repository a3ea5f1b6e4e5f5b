"""Data retention: submitters' personal data is kept only as long as moderation needs it."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnerships.models import OutboxMessage, Suggestion


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
    return len(ids)
