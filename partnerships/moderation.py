"""Moderating suggestions: a small state machine (pending, then approved, rejected or spam).

Every transition locks the suggestion row, so two moderators acting at once cannot both
apply it; approval applies the chosen fields in one transaction with model validation and
records the moderator in the history of what it changes: a partnership, or an LA's
research record. If that record changed after the suggestion was made, the fields in
conflict must be confirmed explicitly.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from geodata.models import LocalAuthority
from partnerships.models import (
    RESEARCH_SUGGESTIBLE_FIELDS,
    SUGGESTIBLE_FIELDS,
    LAResearch,
    Partnership,
    Source,
    Suggestion,
    choice_label,
    field_choices,
    field_label,
    partnership_values,
    research_values,
)
from partnerships.notifications import queue_rejection_email
from partnerships.tasks import send_outbox_soon


class ModerationError(Exception):
    """The action cannot be taken; the message says why, for the moderator."""


def display(field, value, model=Partnership):
    """A value as a person reads it: labels for choices, names for areas."""
    if value in (None, "", []):
        return "—"
    if model is not Partnership:
        return str(value)
    if field == "local_authorities":
        names = dict(
            LocalAuthority.objects.filter(ons_code__in=value).values_list("ons_code", "name")
        )
        return ", ".join(names.get(code, code) for code in value)
    if field_choices(field):
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(choice_label(field, v)) for v in values)
    return str(value)


@dataclass
class FieldChange:
    field: str
    current: object
    proposed: object
    baseline: object
    is_new: bool
    model: type = Partnership

    @property
    def label(self):
        if self.model is LAResearch:
            return research_field_label(self.field)
        return field_label(self.field)

    @property
    def conflict(self):
        """The partnership's value changed after the suggestion was made."""
        return not self.is_new and self.current != self.baseline

    @property
    def current_display(self):
        return display(self.field, self.current, self.model)

    @property
    def proposed_display(self):
        return display(self.field, self.proposed, self.model)

    @property
    def baseline_display(self):
        return display(self.field, self.baseline, self.model)


def review(suggestion):
    """Field by field: the current value, the proposed one, and whether they conflict."""
    if suggestion.research_id:
        current = research_values(suggestion.research)
        return [
            FieldChange(
                field=field,
                current=current[field],
                proposed=suggestion.proposed[field],
                baseline=suggestion.baseline.get(field),
                is_new=False,
                model=LAResearch,
            )
            for field in RESEARCH_SUGGESTIBLE_FIELDS
            if field in suggestion.proposed
        ]
    is_new = suggestion.partnership is None
    current = {} if is_new else partnership_values(suggestion.partnership)
    return [
        FieldChange(
            field=field,
            current=current.get(field),
            proposed=suggestion.proposed[field],
            baseline=suggestion.baseline.get(field),
            is_new=is_new,
        )
        for field in SUGGESTIBLE_FIELDS
        if field in suggestion.proposed
    ]


def locked_pending(suggestion_id):
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    if suggestion.status != Suggestion.Status.PENDING:
        who = f" by {suggestion.decided_by}" if suggestion.decided_by else ""
        raise ModerationError(
            f"{suggestion.reference} has already been {suggestion.get_status_display().lower()}"
            f"{who}; nothing was changed."
        )
    return suggestion


def unique_slug(name):
    base = slugify(name)[:90] or "partnership"
    slug, number = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def decide(suggestion, status, user, reason=""):
    suggestion.status = status
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.decision_reason = reason
    suggestion.save()


def invalid_result(error, labeller):
    problems = "; ".join(
        f"{'Record' if field == '__all__' else labeller(field)}: " + " ".join(messages)
        for field, messages in error.message_dict.items()
    )
    return ModerationError(f"The result would not be valid, nothing was changed: {problems}")


def approve(suggestion_id, user, fields=None, accept_conflicts=False):
    """Apply the chosen fields (all proposed ones by default); returns what it changed:
    the partnership, or the LA's research record."""
    with transaction.atomic():
        suggestion = locked_pending(suggestion_id)
        changes = {change.field: change for change in review(suggestion)}
        chosen = list(changes) if fields is None else list(fields)
        unknown = [field for field in chosen if field not in changes]
        if unknown:
            raise ModerationError(f"not proposed in this suggestion: {', '.join(unknown)}")
        if not chosen:
            raise ModerationError("Choose at least one field to apply, or reject the suggestion.")
        conflicts = [changes[field] for field in chosen if changes[field].conflict]
        if conflicts and not accept_conflicts:
            raise ModerationError(
                f"The {'research record' if suggestion.research_id else 'partnership'} "
                "changed after this suggestion was made: "
                + "; ".join(
                    f"{c.label} was “{c.baseline_display}”, is now “{c.current_display}”"
                    for c in conflicts
                )
                + ". Confirm that the suggestion should still be applied."
            )
        if suggestion.research_id:
            research = apply_to_research(suggestion, changes, chosen, user)
            suggestion.applied_fields = chosen
            decide(suggestion, Suggestion.Status.APPROVED, user)
            return research
        if suggestion.partnership is None:
            partnership = Partnership(
                slug=unique_slug(suggestion.proposed.get("name", "")),
                published=True,
                evidence=Partnership.Evidence.MEDIUM,
            )
        else:
            partnership = Partnership.objects.select_for_update().get(pk=suggestion.partnership_id)
        for field in chosen:
            if field != "local_authorities":
                setattr(partnership, field, changes[field].proposed)
        try:
            partnership.full_clean(exclude=["local_authorities", "curated_hash"])
        except ValidationError as error:
            raise invalid_result(error, field_label) from None
        partnership._change_reason = f"Suggestion {suggestion.reference} approved"
        partnership._history_user = user
        partnership.save()
        if "local_authorities" in chosen:
            codes = changes["local_authorities"].proposed
            authorities = list(LocalAuthority.objects.current().filter(ons_code__in=codes))
            if len(authorities) != len(codes) or not authorities:
                raise ModerationError(
                    "The suggestion names local authorities that no longer exist."
                )
            partnership._history_user = user
            partnership.local_authorities.set(authorities)
            partnership.refresh_display_footprint()
        known = set(partnership.sources.values_list("url", flat=True))
        for url in suggestion.evidence_urls:
            if url not in known:
                Source.objects.create(
                    partnership=partnership, url=url, title=url, accessed=timezone.localdate()
                )
        suggestion.partnership = partnership
        suggestion.applied_fields = chosen
        decide(suggestion, Suggestion.Status.APPROVED, user)
    return partnership


def apply_to_research(suggestion, changes, chosen, user):
    """The chosen fields onto the LA's research record, its evidence added to its sources;
    the moderator has checked the evidence, so the record counts as verified today."""
    research = LAResearch.objects.select_for_update().get(pk=suggestion.research_id)
    for field in chosen:
        model_field = LAResearch._meta.get_field(field)
        try:
            value = model_field.to_python(changes[field].proposed)
        except ValidationError as error:
            raise invalid_result(
                ValidationError({field: error.messages}), research_field_label
            ) from None
        setattr(research, field, value)
    today = timezone.localdate()
    known = {source.get("url") for source in research.sources}
    research.sources = [
        *research.sources,
        *(
            {"url": url, "title": url, "accessed": today.isoformat(), "checked": True, "says": ""}
            for url in suggestion.evidence_urls
            if url not in known
        ),
    ]
    research.last_verified = today
    try:
        research.full_clean(exclude=["local_authority", "curated_hash"])
    except ValidationError as error:
        raise invalid_result(error, research_field_label) from None
    research._change_reason = f"Suggestion {suggestion.reference} approved"
    research._history_user = user
    research.save()
    return research


def research_field_label(name):
    return LAResearch._meta.get_field(name).verbose_name.capitalize()


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
