"""Kept database connections and a database restart: forms and the admin check theirs.

Connections are kept between requests (`CONN_MAX_AGE`) with Django's health checks off:
public answers see a connection that a restart broke on its socket, without a query
(`api_core.data_version`). Anything else would meet the broken connection at its first
query and answer 500, once per web process: a visitor's typed suggestion, a moderator's
edit lost. So a request that may change something (any method but GET, HEAD and OPTIONS)
and every admin request first checks the connection it was given (one `SELECT 1`), and a
broken one is replaced before the view runs.
"""

from django.db import connections

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
ADMIN_PATH = "/admin/"


def check_connections_first(sender, environ=None, **kwargs):
    """On `request_started`, for the requests above: close any kept connection that no
    longer answers, so the request's first query opens a new one."""
    environ = environ or {}
    if environ.get("REQUEST_METHOD") in READ_ONLY_METHODS and not environ.get(
        "PATH_INFO", ""
    ).startswith(ADMIN_PATH):
        return
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and not connection.in_atomic_block
            and not connection.is_usable()
        ):
            connection.close()
