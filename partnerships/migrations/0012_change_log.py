import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# The change log is on partnerships' pages: any change to it moves the data version, like
# the other tables behind public answers (0006, 0010). The SQL is written out here, not
# imported, so that this migration keeps meaning what it meant when it was written.
TABLE = "partnerships_changelogentry"
TRACK_SQL = f"""
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION geodata_bump_data_version();
CREATE TRIGGER data_version_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION geodata_bump_data_version();
"""
UNTRACK_SQL = f"""
DROP TRIGGER IF EXISTS data_version ON {TABLE};
DROP TRIGGER IF EXISTS data_version_truncate ON {TABLE};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0011_membership_role_longer"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added",
                    models.BooleanField(
                        default=False, help_text="The record was new: added, not changed."
                    ),
                ),
                (
                    "fields",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=50),
                        blank=True,
                        default=list,
                        help_text="Names of the fields that changed, in their public order.",
                        size=None,
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("suggestion", "Approved suggestion"),
                            ("moderator", "Moderator's edit"),
                            ("curated", "Curated data set"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_log",
                        to="partnerships.partnership",
                    ),
                ),
                (
                    "research",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_log",
                        to="partnerships.laresearch",
                    ),
                ),
                (
                    "suggestion",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partnerships.suggestion",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "change log entries",
                "ordering": ["-changed_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("partnership__isnull", False), ("research__isnull", True)),
                            models.Q(("partnership__isnull", True), ("research__isnull", False)),
                            _connector="OR",
                        ),
                        name="change_log_entry_names_one_record",
                    )
                ],
            },
        ),
        migrations.RunSQL(TRACK_SQL, UNTRACK_SQL),
    ]
