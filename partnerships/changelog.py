"""The public change log: when a partnership or an LA's research record changed, and which
fields, never who.

Each change writes its row when it is made, in the same transaction (`record_change`):
an approved suggestion, a moderator's edit in the admin, a curated load (`recording`).
"""

from contextlib import contextmanager

from django import forms
from django.db.models import Q
from django.urls import reverse

from geodata.models import LocalAuthority
from partnerships.models import (
    PUBLIC_FIELDS,
    RESEARCH_PUBLIC_FIELDS,
    ChangeLogEntry,
    LAResearch,
    Membership,
    Partnership,
    partnership_values,
    research_values,
)

# What the log follows of each kind of record, in the order it lists fields: what the
# public sees of it (the map shows a drawn footprint too).
LOGGED_FIELDS = {
    Partnership: [
        *(name for name in PUBLIC_FIELDS if name != "updated_at"),
        "drawn_footprint",
        "confirmed_on",
    ],
    LAResearch: [*RESEARCH_PUBLIC_FIELDS, "confirmed_on"],
}
# Besides its fields, a partnership's named members, logged when an approved suggestion
# adds one (moderators' inline edits of members are not followed).
MEMBERS = "members"
LOGGED_RELATED = {Partnership: [MEMBERS], LAResearch: []}
RECORD_FIELD = {Partnership: "partnership", LAResearch: "research"}
VALUES = {Partnership: partnership_values, LAResearch: research_values}


def record_change(record, fields, origin, added=False, suggestion=None):
    """Write the row for a change to `record`: added, or the logged `fields` that changed.
    A change to no logged field (sources only, say) writes nothing."""
    model = type(record)
    fields = [name for name in [*LOGGED_FIELDS[model], *LOGGED_RELATED[model]] if name in fields]
    if not (fields or added):
        return None
    return ChangeLogEntry.objects.create(
        **{RECORD_FIELD[model]: record},
        added=added,
        fields=fields,
        origin=origin,
        suggestion=suggestion,
    )


@contextmanager
def recording(record, origin):
    """Log what the block does to `record`: added when it was not saved before, else the
    logged fields whose values differ afterwards."""
    values = VALUES[type(record)]
    logged = LOGGED_FIELDS[type(record)]
    before = None if record.pk is None else values(record, logged)
    yield
    after = values(record, logged)
    changed = [name for name in logged if before is not None and after[name] != before[name]]
    record_change(record, changed, origin, added=before is None)


def public_changes(record):
    """A partnership's or research record's change log for its page, latest first."""
    return [
        {"id": entry.pk, "date": entry.changed_at, "summary": summary_of(entry)}
        for entry in record.change_log.all()
    ]


def public_change_log():
    """Every change the public may see, newest first: of published partnerships and of
    current LAs' research records. A partnership not (or no longer) published shows
    nothing, so no feed or page tells of a record the map does not show."""
    return ChangeLogEntry.objects.filter(
        Q(partnership__published=True)
        | Q(research__local_authority__in=LocalAuthority.objects.current())
    ).select_related("partnership", "research__local_authority")


def changes_in_area(entries, area):
    """The changes to what the area's page shows: the partnerships working in it (local
    or regional) and its research record."""
    return entries.filter(
        Q(partnership__in=Partnership.objects.filter(local_authorities=area))
        | Q(research__local_authority=area)
    )


def changes_of_partnership(entries, partnership):
    return entries.filter(partnership=partnership)


def changes_of_trust(entries, trust):
    """The changes to the partnerships that name the trust as a member."""
    naming = Membership.objects.filter(kind=Membership.Kind.TRUST, trust=trust)
    return entries.filter(partnership__in=naming.values("partnership"))


def summary_of(entry):
    """What changed, in the public's words: never who changed it."""
    model = Partnership if entry.partnership_id else LAResearch
    if entry.added:
        return "Added to the map" if model is Partnership else "Research record added"
    return "Changed: " + ", ".join(label(model, name) for name in entry.fields)


def record_name(entry):
    if entry.partnership_id:
        return entry.partnership.name
    return f"What we know about {entry.research.local_authority.name}"


def record_url(entry):
    """Where the change shows: the partnership's page, or the area's for its research."""
    if entry.partnership_id:
        path = entry.partnership.get_absolute_url()
    else:
        path = reverse("area", args=[entry.research.local_authority.ons_code])
    return f"{path}#change-{entry.pk}"


def label(model, name):
    if name == MEMBERS:
        return "Members"
    return model._meta.get_field(name).verbose_name.capitalize()


class ChangeLogFilter(forms.Form):
    """The "What changed" page's filters, read from the address: an area and a date range."""

    area = forms.ChoiceField(label="Area", required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.areas = {la.ons_code: la for la in LocalAuthority.objects.current().order_by("name")}
        self.fields["area"].choices = [("", "All of England")] + [
            (code, la.name) for code, la in self.areas.items()
        ]
        self.fields["area"].error_messages["invalid_choice"] = (
            "Choose an area from the list: %(value)s is not the code of a current local authority."
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be on or after the start date.")
        return cleaned

    def entries(self):
        """The public change log as filtered: call only when the form is valid."""
        entries = public_change_log()
        area = self.cleaned_data.get("area")
        if area:
            entries = changes_in_area(entries, self.areas[area])
        if self.cleaned_data.get("since"):
            entries = entries.filter(changed_at__date__gte=self.cleaned_data["since"])
        if self.cleaned_data.get("until"):
            entries = entries.filter(changed_at__date__lte=self.cleaned_data["until"])
        return entries

    def selected_area(self):
        return self.areas.get(self.cleaned_data.get("area") or "")
