"""The public change log: when a partnership or an LA's research record changed, and which
fields, never who.

Each change writes its row when it is made, in the same transaction (`record_change`):
an approved suggestion, a moderator's edit in the admin, a curated load (`recording`).
"""

from contextlib import contextmanager

from partnerships.models import (
    PUBLIC_FIELDS,
    RESEARCH_PUBLIC_FIELDS,
    ChangeLogEntry,
    LAResearch,
    Partnership,
    partnership_values,
    research_values,
)

# What the log follows of each kind of record, in the order it lists fields: what the
# public sees of it (the map shows a drawn footprint too).
LOGGED_FIELDS = {
    Partnership: [*(name for name in PUBLIC_FIELDS if name != "updated_at"), "drawn_footprint"],
    LAResearch: RESEARCH_PUBLIC_FIELDS,
}
RECORD_FIELD = {Partnership: "partnership", LAResearch: "research"}
VALUES = {Partnership: partnership_values, LAResearch: research_values}


def record_change(record, fields, origin, added=False, suggestion=None):
    """Write the row for a change to `record`: added, or the logged `fields` that changed.
    A change to no logged field (sources or members only, say) writes nothing."""
    model = type(record)
    fields = [name for name in LOGGED_FIELDS[model] if name in fields]
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


def public_changes(partnership):
    """The partnership's change log for its page, latest first."""
    return [
        {
            "date": entry.changed_at,
            "summary": "Added to the map"
            if entry.added
            else "Changed: " + ", ".join(label(Partnership, name) for name in entry.fields),
        }
        for entry in partnership.change_log.all()
    ]


def label(model, name):
    return model._meta.get_field(name).verbose_name.capitalize()
