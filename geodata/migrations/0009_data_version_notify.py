"""The data version's trigger function also NOTIFYs `data_version` (geodata.data_version)."""

from django.db import migrations

# Frozen: the text as geodata.data_version wrote it then.
BUMP_FUNCTION_SQL = """
CREATE SEQUENCE IF NOT EXISTS geodata_data_version_seq;
CREATE OR REPLACE FUNCTION geodata_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO geodata_dataversion (id, version, changed_at)
    VALUES (1, nextval('geodata_data_version_seq'), now())
    ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    PERFORM pg_notify('data_version', '');
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("geodata", "0008_drop_postcode_like_index")]

    operations = [migrations.RunSQL(BUMP_FUNCTION_SQL, migrations.RunSQL.noop)]
