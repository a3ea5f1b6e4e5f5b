"""The server scripts/run starts (scripts/serve: gunicorn + WhiteNoise) answers a burst
of concurrent clients without a server error, serves hashed compressed static files, and
holds a bounded number of database connections."""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.ports import free_port

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 3
CLIENTS = 64
SERVER_APP_NAME = "burst-test-server"


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(boundaries, tmp_path):
    """scripts/serve against the test database, on a port of its own."""
    port = free_port()
    database = urlsplit(os.environ["DATABASE_URL"])
    test_database = database._replace(path="/" + connection.settings_dict["NAME"])
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=urlunsplit(test_database),
        PORT=str(port),
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY=str(WORKERS),
        API_ANON_RATE="100000/min",  # this tests server errors, not fair use
        ACCESS_LOG="/dev/null",
        # libpq names the server's connections, so the count below sees only them (the
        # session's live server, from earlier browser tests, holds one of its own).
        PGAPPNAME=SERVER_APP_NAME,
    )
    process = subprocess.Popen(
        [str(settings.BASE_DIR / "scripts" / "serve")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if process.poll() is not None:
                pytest.fail(f"scripts/serve stopped: {process.stderr.read().decode()[-2000:]}")
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("scripts/serve did not answer within 60 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def test_a_burst_of_concurrent_clients_gets_no_server_error(served):
    html = fetch(served + "/")[2].decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page links the hashed stylesheet"
    status, headers, _ = fetch(served + stylesheet.group(1), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]

    urls = [
        "/",
        "/api/v1/local-authorities/",
        "/api/v1/local-authorities/?format=geojson",
        "/areas/E08000019/",
        "/data/",
        stylesheet.group(1),
    ]
    burst = [served + urls[n % len(urls)] for n in range(CLIENTS * 3)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(lambda url: fetch(url)[0], burst))
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [connection.settings_dict["NAME"], SERVER_APP_NAME],
        )
        (connections_held,) = cursor.fetchone()
    assert 1 <= connections_held <= WORKERS
