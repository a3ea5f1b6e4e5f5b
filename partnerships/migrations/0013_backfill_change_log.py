"""The change log of what happened before it was written at the time: read once from the
records' history, the way the public log was read until then (history rows of one action,
written within seconds of each other by the same person for the same reason, are one
change), so no existing log vanishes.

Self-contained: the logged fields are listed as they were when this was written.
"""

import re
from datetime import timedelta

from django.db import migrations

LOGGED_FIELDS = {
    "Partnership": [
        "slug",
        "name",
        "also_known_as",
        "summary",
        "website",
        "kind",
        "status",
        "evidence_year",
        "la_role",
        "la_role_note",
        "scope",
        "reach",
        "local_authorities",
        "founded_year",
        "legal_form",
        "legal_form_detail",
        "funding_models",
        "governance",
        "focus_areas",
        "phases",
        "declared_member_count",
        "declared_member_count_note",
        "evidence",
        "unverified_notes",
        "last_verified",
        "drawn_footprint",
    ],
    "LAResearch": ["summary", "la_functions", "none_found_on", "sources", "last_verified"],
}
RECORD_FIELD = {"Partnership": "partnership", "LAResearch": "research"}
ONE_ACTION = timedelta(seconds=5)
APPROVED = re.compile(r"Suggestion (\S+) approved")


def forwards(apps, schema_editor):
    ChangeLogEntry = apps.get_model("partnerships", "ChangeLogEntry")
    Suggestion = apps.get_model("partnerships", "Suggestion")
    references = dict(Suggestion.objects.values_list("reference", "pk"))
    entries = []
    for model_name, logged in LOGGED_FIELDS.items():
        model = apps.get_model("partnerships", model_name)
        history = apps.get_model("partnerships", f"Historical{model_name}")
        existing = set(model.objects.values_list("pk", flat=True))
        logged_here = set(ChangeLogEntry.objects.values_list(RECORD_FIELD[model_name], flat=True))
        columns = [name for name in logged if name != "local_authorities"]
        rows = (
            history.objects.exclude(history_type="-")
            .order_by("id", "history_date", "history_id")
            .values(
                "id",
                "history_id",
                "history_date",
                "history_change_reason",
                "history_user_id",
                *columns,
            )
        )
        areas = areas_by_history_row(apps) if "local_authorities" in logged else {}
        previous = None
        for row in rows:
            if row["id"] not in existing or row["id"] in logged_here:
                continue
            row["local_authorities"] = areas.get(row["history_id"], [])
            first = previous is None or previous["id"] != row["id"]
            changed = [] if first else [n for n in logged if row[n] != previous[n]]
            same_action = (
                not first
                and entries
                and row["history_change_reason"] == previous["history_change_reason"]
                and row["history_user_id"] == previous["history_user_id"]
                and row["history_date"] - previous["history_date"] < ONE_ACTION
            )
            if same_action:
                merged = {*entries[-1].fields, *changed}
                entries[-1].fields = [name for name in logged if name in merged]
            elif first or changed:
                entries.append(entry(ChangeLogEntry, model_name, row, changed, first, references))
            previous = row
    ChangeLogEntry.objects.bulk_create(entries)


def areas_by_history_row(apps):
    through = apps.get_model("partnerships", "HistoricalPartnership_local_authorities")
    areas = {}
    for history_id, code in through.objects.values_list("history_id", "localauthority__ons_code"):
        areas.setdefault(history_id, []).append(code)
    return {history_id: sorted(codes) for history_id, codes in areas.items()}


def entry(ChangeLogEntry, model_name, row, changed, first, references):
    reason = row["history_change_reason"] or ""
    approved = APPROVED.fullmatch(reason)
    if approved:
        origin = "suggestion"
    elif row["history_user_id"] is None:
        origin = "curated"
    else:
        origin = "moderator"
    return ChangeLogEntry(
        **{f"{RECORD_FIELD[model_name]}_id": row["id"]},
        changed_at=row["history_date"],
        added=first,
        fields=list(changed),
        origin=origin,
        suggestion_id=references.get(approved.group(1)) if approved else None,
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0012_change_log")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
