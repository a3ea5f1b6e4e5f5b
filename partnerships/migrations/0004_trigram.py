from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for fuzzy partnership search (already in template1 on the embedded cluster)."""

    dependencies = [("partnerships", "0003_display_footprint")]
    operations = [TrigramExtension()]
