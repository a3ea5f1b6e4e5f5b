from django.db import migrations

# Django adds a varchar_pattern_ops ("_like") index to every CharField key (deferred to the
# end of the migration that creates the table, hence a migration of its own); postcodes are
# only ever looked up by equality, so it would double the index storage for nothing.
DROP_POSTCODE_LIKE_INDEX = """
DO $$
DECLARE name text;
BEGIN
    FOR name IN SELECT indexname FROM pg_indexes
                WHERE tablename = 'geodata_postcode' AND right(indexname, 5) = '_like' LOOP
        EXECUTE 'DROP INDEX ' || quote_ident(name);
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("geodata", "0007_import_run_sources")]

    operations = [migrations.RunSQL(DROP_POSTCODE_LIKE_INDEX, migrations.RunSQL.noop)]
