"""The moderator's worklist: what needs a moderator's attention, counted, each with the
admin list that shows it. The admin's list filters use the same querysets, so a count and
the list it links to always agree."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.link_health import (
    partnerships_with_broken_sources,
    research_with_broken_sources,
)
from partnerships.models import (
    ApiKeyRequest,
    LAResearch,
    Partnership,
    Suggestion,
    VerificationRequest,
)

STALE_AFTER = timedelta(days=365)


def stale_cutoff(today=None):
    return (today or timezone.localdate()) - STALE_AFTER


def not_verified_for_a_year(records, today=None):
    """Never verified, or last verified more than 12 months ago."""
    cutoff = stale_cutoff(today)
    return records.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))


def nothing_found_over_a_year_ago(records, today=None):
    """LA records whose status is "none found" from a search more than 12 months old."""
    if "has_local_partnership" not in records.query.annotations:
        records = records.with_status()
    return records.filter(has_local_partnership=False).filter(none_found_on__lt=stale_cutoff(today))


def verification_requests_in_state(requests, state):
    """`awaiting` (answerable still), `expired` (unanswered past their date), an outcome,
    or all."""
    now = timezone.now()
    awaiting = requests.filter(outcome=VerificationRequest.Outcome.AWAITING)
    if state == "awaiting":
        return awaiting.filter(expires_at__gt=now)
    if state == "expired":
        return awaiting.filter(expires_at__lte=now)
    if state:
        return requests.filter(outcome=state)
    return requests


@dataclass
class WorkItem:
    label: str
    count: int
    model: type
    query: str = ""

    def url(self):
        opts = self.model._meta
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return f"{path}?{self.query}" if self.query else path


def worklist(today=None):
    """Every item of the worklist, in the order a moderator works through them."""
    published = Partnership.objects.published()
    research = LAResearch.objects.all()
    return [
        WorkItem(
            "Suggestions waiting for a decision", Suggestion.objects.pending().count(), Suggestion
        ),
        WorkItem(
            "Requests for an API key waiting for a decision",
            ApiKeyRequest.objects.filter(status=ApiKeyRequest.Status.PENDING).count(),
            ApiKeyRequest,
            "status__exact=pending",
        ),
        WorkItem(
            "Verification requests awaiting an answer",
            verification_requests_in_state(VerificationRequest.objects.all(), "awaiting").count(),
            VerificationRequest,
            "state=awaiting",
        ),
        WorkItem(
            "Published partnerships not verified for 12 months",
            not_verified_for_a_year(published, today).count(),
            Partnership,
            "published__exact=1&verified=stale",
        ),
        WorkItem(
            "LA research records not verified for 12 months",
            not_verified_for_a_year(research, today).count(),
            LAResearch,
            "verified=stale",
        ),
        WorkItem(
            "Published partnerships whose status is unknown",
            published.filter(status=Partnership.Status.UNKNOWN).count(),
            Partnership,
            "published__exact=1&status__exact=unknown",
        ),
        WorkItem(
            "Partnerships citing a link that is not working",
            partnerships_with_broken_sources(Partnership.objects.all()).count(),
            Partnership,
            "links=broken",
        ),
        WorkItem(
            "LA research records citing a link that is not working",
            research_with_broken_sources(research).count(),
            LAResearch,
            "links=broken",
        ),
        WorkItem(
            "LA records with nothing found, searched more than 12 months ago",
            nothing_found_over_a_year_ago(research, today).count(),
            LAResearch,
            "none_found=stale",
        ),
    ]
