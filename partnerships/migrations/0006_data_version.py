from django.db import migrations

from geodata.data_version import track_tables_sql, untrack_tables_sql

# partnerships' tables behind public answers: any change to them moves the data version.
TRACKED_TABLES = [
    "partnerships_partnership",
    "partnerships_partnership_local_authorities",
    "partnerships_membership",
    "partnerships_source",
]


class Migration(migrations.Migration):
    dependencies = [
        ("geodata", "0005_data_version"),
        ("partnerships", "0005_partnership_reach"),
    ]

    operations = [
        migrations.RunSQL(track_tables_sql(TRACKED_TABLES), untrack_tables_sql(TRACKED_TABLES)),
    ]
