"""What a suggestion changes: a partnership (new or existing), or an LA's research record.

Moderation, the admin and the emails speak to a suggestion's target through one small
interface (its values today, its fields' labels, values as people read them, the diff
against the suggestion's baseline, and applying chosen values), so the two kinds of
record never need telling apart outside this module.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from geodata.models import LocalAuthority
from partnerships.memberships import REGISTERED_MEMBERS, member_from_key
from partnerships.models import (
    RESEARCH_SUGGESTIBLE_FIELDS,
    SUGGESTIBLE_FIELDS,
    LAResearch,
    Membership,
    Partnership,
    Source,
    Suggestion,
    choice_label,
    field_choices,
    field_label,
    partnership_values,
    research_values,
)

EMPTY = (None, "", [])


def target_of(suggestion):
    """The record `suggestion` proposes to change, behind the common interface."""
    if suggestion.research_id:
        return ResearchTarget(suggestion)
    if suggestion.kind == Suggestion.Kind.MEMBERSHIP:
        return MembershipTarget(suggestion)
    return PartnershipTarget(suggestion)


@dataclass
class FieldChange:
    """One proposed field: today's value, the proposed one, and the value the submitter
    saw (the baseline), which tells whether the record changed since."""

    field: str
    current: object
    proposed: object
    baseline: object
    target: "Target"

    @property
    def is_new(self):
        return self.target.record is None

    @property
    def label(self):
        return self.target.label(self.field)

    @property
    def conflict(self):
        """The record's value changed after the suggestion was made."""
        return not self.is_new and self.current != self.baseline

    def display(self, value):
        return self.target.display(self.field, value)

    @property
    def current_display(self):
        return self.display(self.current)

    @property
    def proposed_display(self):
        return self.display(self.proposed)

    @property
    def baseline_display(self):
        return self.display(self.baseline)


class Target:
    """The interface. `record`: the partnership or research record (None for a partnership
    not created yet); `name` and `url`: what it is called and its public page; `str()`:
    how a moderator's message names it."""

    noun = ""  # how moderators' messages name the kind of record
    fields = []  # what may be proposed, in the review's order

    def __init__(self, suggestion):
        self.suggestion = suggestion

    def current_values(self):
        raise NotImplementedError

    def label(self, field):
        raise NotImplementedError

    def display(self, field, value):
        """A value as a person reads it."""
        return "—" if value in EMPTY else str(value)

    def changes(self):
        """The proposed fields, each against today's value and the suggestion's baseline."""
        current = self.current_values()
        return [
            FieldChange(
                field=field,
                current=current.get(field),
                proposed=self.suggestion.proposed[field],
                baseline=self.suggestion.baseline.get(field),
                target=self,
            )
            for field in self.fields
            if field in self.suggestion.proposed
        ]

    def apply(self, values, user):
        """Write `values` ({field: proposed value}) and the suggestion's evidence to the
        record, in the moderator's name; returns the record. Raises ValidationError when
        the result would be invalid (the caller's transaction undoes any partial write)."""
        raise NotImplementedError

    def logged_fields(self, fields):
        """What the public change log says an approval of `fields` changed."""
        return fields

    def save(self, record, user, exclude):
        """Validated, then saved with the approval in its history."""
        record.full_clean(exclude=exclude)
        record._change_reason = f"Suggestion {self.suggestion.reference} approved"
        record._history_user = user
        record.save()


class PartnershipTarget(Target):
    noun = "partnership"
    fields = SUGGESTIBLE_FIELDS

    @property
    def record(self):
        return self.suggestion.partnership

    @property
    def name(self):
        return self.record.name if self.record else self.suggestion.proposed.get("name", "")

    @property
    def url(self):
        return self.record.get_absolute_url() if self.record else None

    def __str__(self):
        return self.name

    def current_values(self):
        return {} if self.record is None else partnership_values(self.record)

    def label(self, field):
        return field_label(field)

    def display(self, field, value):
        """Labels for choices, names for areas."""
        if value in EMPTY:
            return "—"
        if field == "local_authorities":
            names = dict(
                LocalAuthority.objects.filter(ons_code__in=value).values_list("ons_code", "name")
            )
            return ", ".join(names.get(code, code) for code in value)
        if field_choices(field):
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(choice_label(field, v)) for v in values)
        return str(value)

    def apply(self, values, user):
        partnership = self.locked_or_new()
        for field, value in values.items():
            if field != "local_authorities":
                setattr(partnership, field, value)
        exclude = ["local_authorities", "curated_hash"]
        if partnership.pk is None:
            self.save_new(partnership, user, exclude)
        else:
            self.save(partnership, user, exclude)
        if "local_authorities" in values:
            codes = values["local_authorities"]
            authorities = list(LocalAuthority.objects.current().filter(ons_code__in=codes))
            if len(authorities) != len(codes) or not authorities:
                raise ValidationError(
                    "The suggestion names local authorities that no longer exist."
                )
            partnership._history_user = user
            partnership.local_authorities.set(authorities)
            partnership.refresh_display_footprint()
        add_evidence_to_sources(partnership, self.suggestion.evidence_urls)
        self.suggestion.partnership = partnership
        return partnership

    def locked_or_new(self):
        if self.record is None:
            return Partnership(
                slug=unique_slug(self.suggestion.proposed.get("name", "")),
                published=True,
                evidence=Partnership.Evidence.MEDIUM,
            )
        return Partnership.objects.select_for_update().get(pk=self.record.pk)

    def save_new(self, partnership, user, exclude):
        """A new partnership takes the first address free from its name. Another approval
        of the same name at the same moment finds the same one free (neither sees the
        other's uncommitted row) and meets the unique index once the first commits: it
        then takes the next free address."""
        for _attempt in range(SLUG_ATTEMPTS):
            try:
                with transaction.atomic():
                    self.save(partnership, user, exclude)
                return
            except IntegrityError as error:
                if getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") != (
                    SLUG_CONSTRAINT
                ):
                    raise
                partnership.slug = unique_slug(partnership.name)
        raise ValidationError(
            "No free web address could be made from this name just now; try again."
        )


def add_evidence_to_sources(partnership, urls):
    """The evidence a moderator checked joins the partnership's sources (once each)."""
    known = set(partnership.sources.values_list("url", flat=True))
    Source.objects.bulk_create(
        Source(partnership=partnership, url=url, title=url, accessed=timezone.localdate())
        for url in urls
        if url not in known
    )


# The unique constraint on Partnership.slug, as PostgreSQL names a column's UNIQUE.
SLUG_CONSTRAINT = f"{Partnership._meta.db_table}_slug_key"
SLUG_ATTEMPTS = 5


def unique_slug(name):
    base = slugify(name)[:90] or "partnership"
    slug, number = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class ResearchTarget(Target):
    noun = "research record"
    fields = RESEARCH_SUGGESTIBLE_FIELDS

    @property
    def record(self):
        return self.suggestion.research

    @property
    def name(self):
        return self.record.local_authority.name

    @property
    def url(self):
        return reverse("area", args=[self.record.local_authority.ons_code])

    def __str__(self):
        return f"{self.name}'s research record"

    def current_values(self):
        return research_values(self.record)

    def label(self, field):
        return LAResearch._meta.get_field(field).verbose_name.capitalize()

    def apply(self, values, user):
        """The moderator has checked the evidence, so the record counts as verified today
        and the evidence joins its sources."""
        research = LAResearch.objects.select_for_update().get(pk=self.record.pk)
        for field, value in values.items():
            try:
                value = LAResearch._meta.get_field(field).to_python(value)
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from None
            setattr(research, field, value)
        today = timezone.localdate()
        known = {source.get("url") for source in research.sources}
        research.sources = [
            *research.sources,
            *(
                {
                    "url": url,
                    "title": url,
                    "accessed": today.isoformat(),
                    "checked": True,
                    "says": "",
                }
                for url in self.suggestion.evidence_urls
                if url not in known
            ),
        ]
        research.last_verified = today
        self.save(research, user, exclude=["local_authority", "curated_hash"])
        return research


class MembershipTarget(Target):
    """A school, trust or local authority taking part in a published partnership: the
    proposed `member` (a key, see `partnerships.memberships`) and its `role`. Approving
    adds the membership (or, if it was listed meanwhile, sets its role)."""

    noun = "membership"
    fields = ["member", "role"]
    labels = {"member": "Member", "role": "Role in the partnership"}

    @property
    def record(self):
        return self.suggestion.partnership

    @property
    def member(self):
        """The proposed member as the register knows it today (None if it left it)."""
        return member_from_key(self.suggestion.proposed.get("member"))

    @property
    def name(self):
        return self.record.name

    @property
    def url(self):
        return self.record.get_absolute_url()

    def __str__(self):
        return f"the members of {self.name}"

    def current_values(self):
        member = self.member
        listed = member.memberships(self.record).first() if member else None
        if listed is None:
            return {"member": None, "role": None}
        return {"member": member.key, "role": listed.role}

    def label(self, field):
        return self.labels[field]

    def display(self, field, value):
        if field == "member":
            if value in EMPTY:
                return "Not listed as a member"
            member = member_from_key(value)
            return member.describe() if member else f"{value} (no longer in the register)"
        return super().display(field, value)

    def logged_fields(self, fields):
        return ["members"]

    def apply(self, values, user):
        if "member" not in values:
            raise ValidationError("Tick the member: a role cannot be applied without it.")
        partnership = Partnership.objects.select_for_update().get(pk=self.record.pk)
        member = member_from_key(values["member"])
        if member is None:
            raise ValidationError("The proposed member is no longer in the register.")
        membership = member.memberships(partnership).first() or Membership(
            partnership=partnership, kind=member.kind, name=member.name
        )
        setattr(membership, REGISTERED_MEMBERS[member.kind][0], member.record)
        if "role" in values:
            membership.role = values["role"]
        self.save(membership, user, exclude=["partnership"])
        add_evidence_to_sources(partnership, self.suggestion.evidence_urls)
        return partnership
