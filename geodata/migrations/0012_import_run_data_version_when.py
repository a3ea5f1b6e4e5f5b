"""Only import runs that public answers read move the data version.

Public pages read a run for what is loaded and when (a succeeded run) and, while nothing
is loaded, the last attempt that failed (`ImportRunQuerySet.register_state`). A dry run,
a refused run, and a run's "queued"/"running" rows change none of that, yet the
statement-level trigger moved the version for each of them, so every kept answer was
built again for nothing. The triggers are now per row, with a WHEN clause saying which
rows matter: a row that is or was a succeeded or failed run that is not a dry run.

(Writes a dry run or a refused run rolls back move nothing either: the version row's
update rolls back with them; only the sequence, which never goes back, skips numbers.)
"""

from django.db import migrations

# Frozen SQL: the import-run rows that public answers read.
MATTERS_NEW = "(NEW.status IN ('succeeded', 'failed') AND NOT NEW.dry_run)"
MATTERS_OLD = "(OLD.status IN ('succeeded', 'failed') AND NOT OLD.dry_run)"

FORWARD = f"""
DROP TRIGGER IF EXISTS data_version ON geodata_importrun;
CREATE TRIGGER data_version AFTER UPDATE ON geodata_importrun
    FOR EACH ROW WHEN ({MATTERS_OLD} OR {MATTERS_NEW})
    EXECUTE FUNCTION geodata_bump_data_version();
CREATE TRIGGER data_version_insert AFTER INSERT ON geodata_importrun
    FOR EACH ROW WHEN {MATTERS_NEW}
    EXECUTE FUNCTION geodata_bump_data_version();
CREATE TRIGGER data_version_delete AFTER DELETE ON geodata_importrun
    FOR EACH ROW WHEN {MATTERS_OLD}
    EXECUTE FUNCTION geodata_bump_data_version();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS data_version_insert ON geodata_importrun;
DROP TRIGGER IF EXISTS data_version_delete ON geodata_importrun;
DROP TRIGGER IF EXISTS data_version ON geodata_importrun;
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON geodata_importrun
    FOR EACH STATEMENT EXECUTE FUNCTION geodata_bump_data_version();
"""


class Migration(migrations.Migration):
    dependencies = [("geodata", "0011_importrun_queued")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
