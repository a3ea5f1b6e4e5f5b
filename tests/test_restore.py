"""A backup restored under the running site: the next answers are of the restored data,
never one kept before the restore (docs/operations.md, scripts/restore-backup).

The site runs as deployed (gunicorn, two workers, production settings, and a Celery worker
that rebuilds the shared answers after a change) against the test database, on Redis
databases of its own; the backup is a real `pg_dump` of that database."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from api_core.data_version import current_data_version
from partnerships.curated import load_curated_partnerships
from partnerships.models import Partnership
from tests.factories import CASL, LEARN_SHEFFIELD

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# What the restore must bring back, each asked several times to reach both web workers:
# pages (one shared by every process, one kept by each), an API list and a download.
URLS = [
    "/data/",
    "/partnerships/learn-sheffield/",
    "/api/v1/partnerships/",
    "/data/partnerships.csv",
]
CASL_PAGE = f"/partnerships/{CASL['slug']}/"
ASKS = 6


def database_url():
    db = connection.settings_dict
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def redis_url(number):
    """A Redis database of the running site's own (the broker, the shared answers)."""
    base = settings.REDIS_URL.rsplit("/", 1)[0]
    return f"{base}/{number}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def site():
    """gunicorn and a Celery worker as `scripts/run` starts them (the source static files
    as they are, DEBUG on for that alone: no collectstatic), the site's base URL."""
    broker, answers = redis_url(12), redis_url(13)
    for url in (broker, answers):
        redis.Redis.from_url(url).flushdb()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "REDIS_CACHE_URL": answers,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "test-only",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "true",
        "MAP_TILE_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [BIN / "gunicorn", "partnerships_map.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--access-logfile", "/dev/null"],
        env=env,
        cwd=ROOT,
    )
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "partnerships_map", "worker", "--pool", "solo", "-l", "WARNING"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(base + "/healthz", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            process.wait(30)
        for url in (broker, answers):
            redis.Redis.from_url(url).flushdb()


def answers(base, url):
    """The bodies the site gives at `url`, asked `ASKS` times (both workers answer), with
    the map boundaries' address left out: it names the data version, not the data."""
    session = requests.Session()
    bodies = set()
    for _ in range(ASKS):
        response = session.get(base + url, headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert response.status_code == 200, (url, response.status_code)
        bodies.add(re.sub(rb"\?v=[0-9a-f.]+", b"?v=", response.content))
    return bodies


def boundaries_url(base):
    page = requests.get(base + "/", timeout=30).text
    return page.split('data-geojson-url="', 1)[1].split('"', 1)[0]


def wait_until(condition, seconds=60):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "the site did not settle"
        time.sleep(0.5)


def load(tmp_path, records):
    path = tmp_path / "partnerships.json"
    path.write_text(json.dumps(records))
    load_curated_partnerships(path)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_under_the_running_site_is_what_it_serves(boundaries, tmp_path, site):
    load(tmp_path, [LEARN_SHEFFIELD])
    as_dumped = {url: answers(site, url) for url in URLS}
    assert all(len(bodies) == 1 for bodies in as_dumped.values())
    named_before = {boundaries_url(site)}
    # The backup is of a data version no one asked for (the same data moved on by a
    # statement that changed nothing): the site keeps no answer of it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE geodata_localauthority SET name = name WHERE false")
    backup = tmp_path / "backup.dump"
    subprocess.run(
        [PG_BIN / "pg_dump", "--format=custom", f"--file={backup}", database_url()], check=True
    )

    # A curated load: one more partnership, and Learn Sheffield checked again.
    load(tmp_path, [{**LEARN_SHEFFIELD, "last_verified": "2026-12-06"}, CASL])
    wait_until(lambda: all(answers(site, url) != as_dumped[url] for url in URLS))
    assert requests.get(site + CASL_PAGE, timeout=30).status_code == 200
    named_before.add(boundaries_url(site))
    version_before = current_data_version()

    environment = {**os.environ, "DATABASE_URL": database_url(), "PG_BIN": str(PG_BIN)}
    subprocess.run([ROOT / "scripts/restore-backup", backup], env=environment, check=True)

    for url in URLS:  # the next requests, to every worker: the data as dumped
        assert answers(site, url) == as_dumped[url], url
    assert requests.get(site + CASL_PAGE, timeout=30).status_code == 404
    assert not Partnership.objects.filter(slug=CASL["slug"]).exists()

    # The restored sequence numbers the next changes as the dump's next ones were: the
    # map's boundaries (kept by browsers for a year at the address the page names) are
    # never named as they were before the restore.
    assert current_data_version() < version_before
    while current_data_version() <= version_before:
        Partnership.objects.filter(slug="learn-sheffield").update(updated_at=timezone.now())
        assert boundaries_url(site) not in named_before
