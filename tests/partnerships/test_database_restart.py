"""A database restart breaks every kept connection; the first form post or admin page after
it must still work, on a new connection, and nothing the visitor typed is lost."""

import time

import pytest
from django.db import connection

from partnerships.models import Suggestion
from tests.factories import NEW

pytestmark = pytest.mark.django_db(transaction=True)


def terminate_this_connections_backend():
    """What a PostgreSQL restart does to a kept connection, for this one only."""
    import psycopg

    broken = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [broken])
        for _wait in range(100):  # the backend exits a moment after it is told to
            gone = "SELECT 1 FROM pg_stat_activity WHERE pid = %s"
            if other.execute(gone, [broken]).fetchone() is None:
                break
            time.sleep(0.05)
    return broken


def test_a_suggestion_posted_after_a_database_restart_is_saved(client, partnerships):
    assert client.get("/suggest/").status_code == 200
    broken = terminate_this_connections_backend()
    response = client.post("/suggest/", NEW)
    assert response.status_code == 302
    assert Suggestion.objects.get().proposed["name"] == NEW["name"]
    assert connection.connection.info.backend_pid != broken


def test_the_admin_after_a_database_restart_answers(client, partnerships, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    terminate_this_connections_backend()
    assert client.get("/admin/partnerships/partnership/").status_code == 200
