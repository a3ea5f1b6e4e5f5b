"""The production topology (scripts/serve-topology) as it runs: the real nginx caching in
front of two app servers, which reach PostgreSQL through the real PgBouncer in transaction
mode. A kept answer is served by the proxy and changes there within the configured time
after a data change made through PgBouncer; nothing personal is ever kept by the proxy."""

import os
import re
import signal
import subprocess
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from api_core.data_version import TRUST_SECONDS
from tests.ports import free_port

pytestmark = pytest.mark.django_db(transaction=True)
PROXY_CACHE_SECONDS = 2
# No Celery worker runs here to rebuild after a change: the app gives its last complete
# answer for at most this long, then a request builds the new one (the bound production
# relies on if its worker is slow or down).
MAX_STALE_SECONDS = 2
PAGE = "/partnerships/learn-sheffield/"
GZIP = {"Accept-Encoding": "gzip"}


class Topology:
    def __init__(self, tmp_path):
        self.proxy_port, self.bouncer_port = free_port(), free_port()
        self.web_ports = [free_port(), free_port()]
        self.dir = tmp_path / "topology"
        self.app_log = tmp_path / "app-access.log"
        database = urlsplit(os.environ["DATABASE_URL"])
        self.database = database._replace(path="/" + connection.settings_dict["NAME"])

    @property
    def proxy(self):
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def pooled_url(self):
        """The test database through PgBouncer, as the app servers reach it."""
        netloc = self.database.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{self.bouncer_port}"
        return urlunsplit(self.database._replace(netloc=netloc, scheme="postgresql"))

    def cached_files(self):
        return [p for p in (self.dir / "cache").rglob("*") if p.is_file()]


@pytest.fixture
def topology(partnerships, tmp_path):
    """scripts/serve-topology against the test database, on ports of its own."""
    topology = Topology(tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=urlunsplit(topology.database),
        PROXY_PORT=str(topology.proxy_port),
        WEB_PORTS=" ".join(map(str, topology.web_ports)),
        PGBOUNCER_PORT=str(topology.bouncer_port),
        TOPOLOGY_DIR=str(topology.dir),
        PROXY_CACHE_SECONDS=str(PROXY_CACHE_SECONDS),
        KEPT_ANSWER_MAX_STALE=str(MAX_STALE_SECONDS),
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="2",
        ACCESS_LOG=str(topology.app_log),
        API_ANON_RATE="100000/min",
    )
    log = tmp_path / "serve-topology.log"  # what the servers say, kept by pytest
    process = subprocess.Popen(
        [str(settings.BASE_DIR / "scripts" / "serve-topology")],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(1800):
            if process.poll() is not None:
                pytest.fail(f"serve-topology stopped: {log.read_text()[-3000:]}")
            try:
                if requests.get(topology.proxy + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("serve-topology did not answer within 180 s")
        yield topology
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)


def get(url, session=None, **kwargs):
    response = (session or requests).get(url, headers=GZIP, timeout=30, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response


def kept_by_the_proxy(url):
    """Asked for until the proxy answers from its cache (it stores an answer on the second
    request for it), as every later visitor is answered."""
    for _ in range(5):
        response = get(url)
        if response.headers["X-Cache-Status"] == "HIT":
            return response
    pytest.fail(f"{url} is never answered from the proxy's cache")


def change_through_pgbouncer(topology, summary):
    """A change as a web process makes it: through PgBouncer, in transaction mode."""
    with psycopg.connect(topology.pooled_url, autocommit=True) as conn:
        updated = conn.execute(
            "UPDATE partnerships_partnership SET summary = %s WHERE slug = 'learn-sheffield'",
            [summary],
        ).rowcount
    assert updated == 1


def seconds_until(url, marker, limit):
    """How long until `url` answers with `marker`, asked every 0.1 s for `limit` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if marker in get(url).text:
            return time.monotonic() - start
        time.sleep(0.1)
    pytest.fail(f"{url} did not show the change within {limit} s")


def test_a_kept_answer_is_served_by_the_proxy_and_changes_there_after_a_data_change(topology):
    first = kept_by_the_proxy(topology.proxy + PAGE)
    cache_control = first.headers["Cache-Control"]
    assert "public" in cache_control and f"s-maxage={PROXY_CACHE_SECONDS}" in cache_control
    assert first.headers["ETag"] and "Accept-Encoding" in first.headers["Vary"]
    assert first.headers["Content-Encoding"] == "gzip"

    # Past s-maxage with no change, the proxy asks again with the ETag: the app says 304.
    # Meanwhile (revalidating in the background) every visitor is given the kept copy.
    time.sleep(PROXY_CACHE_SECONDS + 1.5)  # nginx counts in whole seconds
    statuses = [get(topology.proxy + PAGE).headers["X-Cache-Status"]]
    while statuses[-1] != "HIT" and len(statuses) < 50:
        time.sleep(0.1)
        statuses.append(get(topology.proxy + PAGE).headers["X-Cache-Status"])
    assert statuses[0] == "STALE" and set(statuses) <= {"STALE", "UPDATING", "HIT"}, statuses
    assert statuses[-1] == "HIT", statuses
    assert f'"GET {PAGE} HTTP/1.1" 304' in topology.app_log.read_text()

    marker = f"Changed through PgBouncer {time.time_ns()}."
    change_through_pgbouncer(topology, marker)
    # Both app servers see it within the time each trusts a version it read (no LISTEN
    # through PgBouncer); a loaded machine may add a render's time.
    for port in topology.web_ports:
        assert seconds_until(f"http://127.0.0.1:{port}{PAGE}", marker, 10) <= TRUST_SECONDS + 2
    # The proxy gives its kept copy until s-maxage runs out, then what the app gives: its
    # last complete answer at the proxy's address until the rebuild (here: until
    # MAX_STALE_SECONDS have passed), then the new one.
    waited = seconds_until(topology.proxy + PAGE, marker, 20)
    assert waited <= PROXY_CACHE_SECONDS + MAX_STALE_SECONDS + TRUST_SECONDS + 3
    assert kept_by_the_proxy(topology.proxy + PAGE).text.count(marker) >= 1


def log_in(session, base, user):
    """Through the proxy, as a moderator does. The servers hash as production does (the
    tests' own hasher is a fast one they do not know)."""
    user.password = PBKDF2PasswordHasher().encode("a-long-passphrase", "topologysalt", 1000)
    user.save(update_fields=["password"])
    login = base + "/admin/login/?next=/admin/"
    get(login, session)
    response = session.post(
        login,
        data={
            "username": user.username,
            "password": "a-long-passphrase",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies


def test_nothing_personal_is_ever_kept_by_the_proxy(topology, moderator):
    base = topology.proxy
    kept_by_the_proxy(base + "/")
    kept_by_the_proxy(base + "/api/v1/partnerships/")

    # A form with a CSRF token, asked for three times: each visitor gets their own token.
    tokens = set()
    for _ in range(3):
        response = get(base + "/suggest/")
        assert response.headers["X-Cache-Status"] != "HIT"
        assert "private" in response.headers["Cache-Control"]
        tokens.add(response.cookies["csrftoken"])
    assert len(tokens) == 3

    # A moderator: every answer to them comes from the app, marked private.
    moderator_session = requests.Session()
    log_in(moderator_session, base, moderator)
    for path in ["/", "/api/v1/partnerships/", "/api/v1/partnerships/?format=api", "/admin/"]:
        for _ in range(3):
            response = get(base + path, moderator_session)
            assert response.headers["X-Cache-Status"] == "BYPASS", path
            assert "private" in response.headers["Cache-Control"], path
    own_page = get(base + "/api/v1/partnerships/?format=api", moderator_session).text
    moderator_token = re.search(r'"csrfToken": "(\w+)"', own_page).group(1)

    # Anonymous visitors after them: the browsable API (with a CSRF token) is never kept,
    # nor is an API list asked for with a partner's key (the app counts its quota).
    for _ in range(3):
        response = get(base + "/api/v1/partnerships/?format=api")
        assert response.headers["X-Cache-Status"] != "HIT"
        assert moderator_token not in response.text and "moderator" not in response.text
    keyed = requests.get(
        base + "/api/v1/partnerships/", headers={"X-Api-Key": "not.a-key"}, timeout=30
    )
    assert keyed.status_code == 401 and keyed.headers["X-Cache-Status"] == "BYPASS"

    # What the proxy keeps on disk: pages and lists, and nothing of anyone's own.
    stored = [path.read_bytes() for path in topology.cached_files()]
    assert len(stored) >= 2
    for body in stored:
        assert b"Set-Cookie" not in body and b"csrfmiddlewaretoken" not in body
        assert moderator_token.encode() not in body
        assert moderator_session.cookies["sessionid"].encode() not in body
    assert not any(re.search(rb"\nKEY: [^\n]*/(suggest|admin)/", body) for body in stored)
