"""The data version's trigger function also NOTIFYs `data_version` (geodata.data_version)."""

from django.db import migrations

from geodata.data_version import BUMP_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("geodata", "0008_drop_postcode_like_index")]

    operations = [migrations.RunSQL(BUMP_FUNCTION_SQL, migrations.RunSQL.noop)]
