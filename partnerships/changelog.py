"""The public change log of a partnership: when it changed and which fields, never who."""

from datetime import timedelta

from partnerships.models import Partnership, field_label

IGNORED_IN_CHANGE_LOG = {"updated_at", "created_at", "curated_hash", "id"}


def public_changes(partnership):
    """The partnership's change log for the public: dates and what changed, never who.

    History rows written by one action (the row, then its areas) are shown as one entry.
    """
    records = list(partnership.history.order_by("history_date", "history_id"))
    entries = []
    for previous, record in zip([None, *records], records, strict=False):
        fields = []
        if previous is not None:
            order = [field.name for field in Partnership._meta.get_fields()]
            changed = sorted(
                (c.field for c in record.diff_against(previous).changes),
                key=lambda name: order.index(name) if name in order else len(order),
            )
            fields = [field_label(name) for name in changed if name not in IGNORED_IN_CHANGE_LOG]
        same_action = (
            entries
            and previous is not None
            and record.history_change_reason == previous.history_change_reason
            and record.history_user_id == previous.history_user_id
            and record.history_date - previous.history_date < timedelta(seconds=5)
        )
        if same_action:
            entries[-1]["fields"].extend(f for f in fields if f not in entries[-1]["fields"])
        elif previous is None or fields:
            entries.append(
                {"date": record.history_date, "fields": fields, "first": previous is None}
            )
    return [
        {
            "date": entry["date"],
            "summary": "Added to the map"
            if entry["first"]
            else "Changed: " + ", ".join(entry["fields"]),
        }
        for entry in reversed(entries)
    ]
