"""Moderating suggestions: a small state machine (pending, then approved, rejected or spam).

Every transition locks the suggestion row, so two moderators acting at once cannot both
apply it; approval applies the chosen fields in one transaction with model validation and
records the moderator in the history of what it changes (its target: a partnership, or
an LA's research record, see `partnerships.targets`) and a row in its public change log.
If that record changed after the suggestion was made, the fields in conflict must be
confirmed explicitly.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.changelog import record_change
from partnerships.models import ChangeLogEntry, Suggestion
from partnerships.notifications import queue_approval_email, queue_rejection_email, send_outbox_soon
from partnerships.targets import target_of


class ModerationError(Exception):
    """The action cannot be taken; the message says why, for the moderator."""


def review(suggestion):
    """Field by field: the current value, the proposed one, and whether they conflict."""
    return target_of(suggestion).changes()


def locked_pending(suggestion_id):
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    if suggestion.status != Suggestion.Status.PENDING:
        who = f" by {suggestion.decided_by}" if suggestion.decided_by else ""
        raise ModerationError(
            f"{suggestion.reference} has already been {suggestion.get_status_display().lower()}"
            f"{who}; nothing was changed."
        )
    return suggestion


def decide(suggestion, status, user, reason=""):
    suggestion.status = status
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.decision_reason = reason
    suggestion.save()


def approve(suggestion_id, user, fields=None, accept_conflicts=False):
    """Apply the chosen fields (all proposed ones by default) to what the suggestion
    changes, and log the change; returns the record changed."""
    with transaction.atomic():
        suggestion = locked_pending(suggestion_id)
        target = target_of(suggestion)
        added = target.record is None
        chosen = chosen_changes(target, fields, accept_conflicts)
        try:
            record = target.apply({change.field: change.proposed for change in chosen}, user)
        except ValidationError as error:
            raise refusal(error, target) from None
        suggestion.applied_fields = [change.field for change in chosen]
        record_change(
            record,
            target.logged_fields(suggestion.applied_fields),
            ChangeLogEntry.Origin.SUGGESTION,
            added=added,
            suggestion=suggestion,
        )
        decide(suggestion, Suggestion.Status.APPROVED, user)
        if suggestion.submitter_email:
            queue_approval_email(suggestion, target_of(suggestion).url)
            transaction.on_commit(send_outbox_soon)
    return record


def chosen_changes(target, fields, accept_conflicts):
    """The changes to apply: the chosen fields, each proposed; any changed since the
    suggestion was made only when the moderator confirms."""
    changes = {change.field: change for change in target.changes()}
    chosen = list(changes) if fields is None else list(fields)
    unknown = [field for field in chosen if field not in changes]
    if unknown:
        raise ModerationError(f"not proposed in this suggestion: {', '.join(unknown)}")
    if not chosen:
        raise ModerationError("Choose at least one field to apply, or reject the suggestion.")
    conflicts = [changes[field] for field in chosen if changes[field].conflict]
    if conflicts and not accept_conflicts:
        raise ModerationError(
            f"The {target.noun} changed after this suggestion was made: "
            + "; ".join(
                f"{c.label} was “{c.baseline_display}”, is now “{c.current_display}”"
                for c in conflicts
            )
            + ". Confirm that the suggestion should still be applied."
        )
    return [changes[field] for field in chosen]


def refusal(error, target):
    """Why applying the suggestion was refused, field by field, in the target's labels."""
    if not hasattr(error, "error_dict"):
        return ModerationError(" ".join(error.messages))
    problems = "; ".join(
        f"{'Record' if field == '__all__' else target.label(field)}: " + " ".join(messages)
        for field, messages in error.message_dict.items()
    )
    return ModerationError(f"The result would not be valid, nothing was changed: {problems}")


def reject(suggestion_id, user, reason, notify_submitter=False):
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason for rejecting the suggestion.")
    with transaction.atomic():
        suggestion = locked_pending(suggestion_id)
        decide(suggestion, Suggestion.Status.REJECTED, user, reason)
        if notify_submitter and suggestion.submitter_email:
            queue_rejection_email(suggestion)
            transaction.on_commit(send_outbox_soon)
    return suggestion


def mark_spam(suggestion_id, user):
    with transaction.atomic():
        suggestion = locked_pending(suggestion_id)
        decide(suggestion, Suggestion.Status.SPAM, user)
    return suggestion
