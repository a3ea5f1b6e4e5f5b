from django.db import migrations

from geodata.data_version import track_tables_sql, untrack_tables_sql

# LA research records are shown on area pages, in the API and the open data: any change
# to them moves the data version, like the partnerships' tables (0005).
TRACKED_TABLES = ["partnerships_laresearch"]


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0009_status_active_ceased_unknown")]

    operations = [
        migrations.RunSQL(track_tables_sql(TRACKED_TABLES), untrack_tables_sql(TRACKED_TABLES)),
    ]
