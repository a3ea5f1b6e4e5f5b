from django.db import migrations
from django.db.models import Q

# The status vocabulary became active / ceased / unknown (issue 11): a closed partnership
# has ceased; a dormant one is one whose activity no source dates recently, i.e. unknown.
OLD_TO_NEW = {"closed": "ceased", "dormant": "unknown"}
NEW_TO_OLD = {"ceased": "closed"}


def rename_statuses(apps, mapping):
    for model_name in ("Partnership", "HistoricalPartnership"):
        model = apps.get_model("partnerships", model_name)
        for old, new in mapping.items():
            model.objects.filter(status=old).update(status=new)
    Suggestion = apps.get_model("partnerships", "Suggestion")
    with_status = Q(proposed__has_key="status") | Q(baseline__has_key="status")
    for suggestion in Suggestion.objects.filter(with_status):
        for key in ("proposed", "baseline"):
            values = getattr(suggestion, key)
            if values.get("status") in mapping:
                values["status"] = mapping[values["status"]]
        suggestion.save(update_fields=["proposed", "baseline"])


def forwards(apps, schema_editor):
    rename_statuses(apps, OLD_TO_NEW)


def backwards(apps, schema_editor):
    rename_statuses(apps, NEW_TO_OLD)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_research_records_kind_status")]

    operations = [migrations.RunPython(forwards, backwards)]
