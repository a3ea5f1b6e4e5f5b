"""Reconciling the census baseline's trusts (names only) with GIAS's (with UIDs).

A baseline trust is never deleted: once a GIAS trust of the same normalised name exists,
the baseline trust is marked `superseded_by` it and its schools move to it. Its page
redirects there, and memberships naming it follow (partnerships react to
`register_imported`), so nothing anyone linked or approved is lost.
"""

from django.db import connection

from geodata.models import BASELINE_TRUST_UID_START


def reconcile_baseline_trusts():
    """Supersede each baseline trust by its GIAS namesake; returns [(baseline uid, GIAS uid)]."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE geodata_trust b SET superseded_by_id = g.uid, updated_at = now()
            FROM (SELECT name_key, min(uid) AS uid FROM geodata_trust
                  WHERE uid < %(start)s AND name_key <> '' GROUP BY name_key) g
            WHERE b.uid >= %(start)s AND b.superseded_by_id IS NULL AND b.name_key = g.name_key
            RETURNING b.uid, g.uid
            """,
            {"start": BASELINE_TRUST_UID_START},
        )
        pairs = sorted(cursor.fetchall())
        cursor.execute(
            """
            UPDATE geodata_school s SET trust_id = t.superseded_by_id
            FROM geodata_trust t
            WHERE s.trust_id = t.uid AND t.superseded_by_id IS NOT NULL
            """
        )
    return pairs


def current_trust_uid(uid):
    """The uid a reference to trust `uid` should use today (itself unless superseded)."""
    from geodata.models import Trust

    seen = set()
    while uid not in seen:
        seen.add(uid)
        successor = Trust.objects.filter(uid=uid).values_list("superseded_by_id", flat=True).first()
        if successor is None:
            return uid
        uid = successor
    return uid
