"""Work that depends only on the data is done once per data version, not per request.

`current_data_version()` reads the number PostgreSQL triggers move forward whenever a table
behind a public answer changes (see `geodata.models.DataVersion`); `per_data_version`
caches a computation under it, so a changed table is never answered from a stale cache.

The triggers also `NOTIFY data_version`, delivered when the change commits. Each database
connection LISTENs, so a process knows the version without asking: it reads it once, and
again only after a notification (or after `TRUST_SECONDS`, should notifications ever not
arrive, e.g. through a pooler in transaction mode). Checking for a notification is a
non-blocking read of the connection's socket, not a query.
"""

import select
import time

import psycopg
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection

CACHE_ALIAS = "data"
CHANNEL = "data_version"
TRUST_SECONDS = 1.0
# Each app's migrations install the triggers on its own tables (`track_tables_sql`).
BUMP_FUNCTION_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS geodata_data_version_seq;
CREATE OR REPLACE FUNCTION geodata_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO geodata_dataversion (id, version, changed_at)
    VALUES (1, nextval('geodata_data_version_seq'), now())
    ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    PERFORM pg_notify('{CHANNEL}', '');
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

    Known without a query while no notification has come (see above); always read inside
    a transaction, which may have moved it. A connection that a database restart broke is
    seen (on its socket, or when the read fails), replaced and read again: this stands in
    for a health-check query on every request."""
    known = getattr(connection, "known_data_version", None)
    if known is not None and connection.connection is not None and not connection.in_atomic_block:
        state, read_at = known
        try:
            if time.monotonic() - read_at < TRUST_SECONDS and not moved_since_read():
                return state
        except psycopg.Error:
            connection.close()  # broken: the read below connects anew
    try:
        state = read_data_version()
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()
        state = read_data_version()
    if not connection.in_atomic_block and getattr(connection, "listening", False):
        connection.known_data_version = (state, time.monotonic())
    return state


def read_data_version():
    connection.ensure_connection()  # a new connection starts LISTENing first
    connection.data_version_moved = False  # a notification from now on means read again
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, changed_at FROM geodata_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, None)


def moved_since_read():
    """Whether anything came since the last read: a notification psycopg saw during a query
    (the handler below), or anything waiting on the socket (a notification, or the server
    closing the connection), looked for without blocking."""
    if not connection.data_version_moved:
        pgconn = connection.connection.pgconn
        waiting, _, _ = select.select([pgconn.socket], [], [], 0)
        if waiting:
            connection.data_version_moved = True
            pgconn.consume_input()  # raises if the server closed the connection
            while pgconn.notifies() is not None:
                pass
    return connection.data_version_moved


def listen_for_new_versions(sender, connection, **kwargs):
    """`connection_created`: the new connection LISTENs and knows no version yet."""
    if connection.vendor != "postgresql":
        return
    connection.known_data_version = None
    connection.data_version_moved = True
    connection.listening = False
    if connection.in_atomic_block:
        return  # a LISTEN there would wait for the transaction: this connection reads
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")

    def moved(notify):
        connection.data_version_moved = True

    connection.connection.add_notify_handler(moved)
    connection.listening = True


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
