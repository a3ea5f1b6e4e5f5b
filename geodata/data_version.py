"""Work that depends only on the data is done once per data version, not per request.

`current_data_version()` reads the number PostgreSQL triggers move forward whenever a table
behind a public answer changes (see `geodata.models.DataVersion`); `per_data_version`
caches a computation under it, so a changed table is never answered from a stale cache.
"""

from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection

CACHE_ALIAS = "data"
# Each app's migrations install the triggers on its own tables (`track_tables_sql`).
BUMP_FUNCTION_SQL = """
CREATE SEQUENCE IF NOT EXISTS geodata_data_version_seq;
CREATE OR REPLACE FUNCTION geodata_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO geodata_dataversion (id, version, changed_at)
    VALUES (1, nextval('geodata_data_version_seq'), now())
    ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END $$;
"""


def track_tables_sql(tables):
    """SQL that makes every change to `tables` (rows or TRUNCATE) move the version."""
    return "".join(
        f"DROP TRIGGER IF EXISTS data_version ON {table};"
        f"CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION geodata_bump_data_version();"
        f"DROP TRIGGER IF EXISTS data_version_truncate ON {table};"
        f"CREATE TRIGGER data_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION geodata_bump_data_version();"
        for table in tables
    )


def untrack_tables_sql(tables):
    return "".join(
        f"DROP TRIGGER IF EXISTS data_version ON {table};"
        f"DROP TRIGGER IF EXISTS data_version_truncate ON {table};"
        for table in tables
    )


def data_version_state():
    """(version, changed_at) as committed; (0, None) before anything was loaded.

    It is the first query of every public page and API answer (`versioned_response`,
    `KeptAnswerMiddleware`), so it is also the check that a kept database connection
    still works: one a database restart broke is replaced and the read tried again,
    instead of a separate health-check query on every request."""
    try:
        return read_data_version()
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return read_data_version()


def read_data_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, changed_at FROM geodata_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, None)


def current_data_version():
    return data_version_state()[0]


def per_data_version(key, compute, version=None):
    """`compute()`, once per data version and cache key, in this process's cache."""
    version = current_data_version() if version is None else version
    cache = caches[CACHE_ALIAS]
    full_key = f"{version}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value)
    return value
