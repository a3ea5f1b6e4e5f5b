"""The data version: one number that moves whenever anything behind a public answer changes.

PostgreSQL triggers move it (`geodata.models.DataVersion`: geodata's migrations create the
table, its sequence and the trigger function, and each app's migrations put the trigger on
its own tables, with the SQL frozen in the migration). Every answer that depends only on
the data is kept under it (`api_core.kept_answers`), so a changed table is never answered
from a stale copy. It lives below both apps because both apps' tables move it and both
apps' answers are kept under it.

The triggers also `NOTIFY data_version`, delivered when the change commits. Each database
connection LISTENs, so a process knows the version without asking: it reads it once, and
again only after a notification (or after `TRUST_SECONDS`, should notifications ever not
arrive). Checking for a notification is a non-blocking read of the connection's socket,
not a query. Through a pooler in transaction mode (`DATABASE_POOLER`, PgBouncer) a
connection's LISTEN would stay behind on whichever server connection ran it, so there the
connection does not LISTEN, and the version is read again every `TRUST_SECONDS`.

A state is (number, time it moved, the table's identity). A backup restored under the
running site (`scripts/restore-backup`) brings back an older number and time, and its
sequence numbers the next changes as they were numbered once before; the restore makes the
table anew, so its identity (PostgreSQL's `tableoid`, read with the row at no cost) tells
the restored history from the one it replaced.
"""

import hashlib
import select
import time

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

CHANNEL = "data_version"
TRUST_SECONDS = 1.0
# Written only by the trigger function that geodata's migrations install.
READ_SQL = "SELECT version, changed_at, tableoid FROM geodata_dataversion WHERE id = 1"
NOTHING_LOADED = (0, None, None)


def data_version_state():
    """(version, changed_at, table identity) as committed; `NOTHING_LOADED` before anything
    was loaded.

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
        cursor.execute(READ_SQL)
        row = cursor.fetchone()
    return tuple(row) if row else NOTHING_LOADED


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
    if settings.DATABASE_POOLER != "transaction":
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")

        def moved(notify):
            connection.data_version_moved = True

        connection.connection.add_notify_handler(moved)
    # Pooled: nothing is ever told, so what was read is trusted for TRUST_SECONDS only.
    connection.listening = True


def current_data_version():
    return data_version_state()[0]


def state_text(state):
    """A state as text, every part of it: what keys and ETags name."""
    version, changed, table = (tuple(state) + (None,))[:3]
    return f"{version}|{changed.isoformat() if changed else ''}|{table or ''}"


def data_version_tag(state=None):
    """A short name for the current (or the given) state, for addresses that name their
    data version and are kept by browsers for a year (the map's boundaries): the number
    for people to read, and a digest of the rest, so a restore's reused numbers never name
    an address kept before it."""
    state = data_version_state() if state is None else state
    return f"{state[0]}.{hashlib.sha256(state_text(state).encode()).hexdigest()[:12]}"


def earlier_in_same_history(old, new):
    """Whether `old` came before `new` in this database's history: of the same table (no
    restore between them) and numbered lower. An answer of a state that is not may be of
    data a restore took away."""
    return len(old) == len(new) and old[2] == new[2] and old[0] < new[0]
