"""The production topology under load: nginx caching in front of two app servers, PgBouncer
in transaction mode in front of PostgreSQL (`scripts/serve-topology`), with a Celery worker,
on free loopback ports, against DATABASE_URL with the full bundled data loaded.

1. wrk keeps 256 connections on each URL through the proxy (10 s each, gzip asked for, after
   the proxy has stored it and a warm-up): req/s, p50, p99 and errors (connection errors,
   timeouts, non-2xx/3xx), each beside the static-file floor from the same proxy in the
   same run, and the load average.
2. Issue 23's cache-busting trial (`after_change.trial_busting`, the same code as
   `after_change.py busting`) against the proxy: 16 clients with addresses of their own
   ask for every download and page with a new query string each time for 30 s while one
   more visitor loads pages; that visitor's p50 and p99 against its idle run just before.
   Production fair-use limits; the app servers believe X-Forwarded-For from the proxy.

Requests stay on 127.0.0.1; the run ends by itself.

    . .local/env && .venv/bin/python benchmarks/topology.py
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from after_change import (  # noqa: E402  (issue 23's trial, as it is)
    floor,
    ms,
    report_busting,
    start_worker,
    stop,
    trial_busting,
)
from serve_load import WRK_REPORT, free_port, hammer  # noqa: E402

CONNECTIONS = 256
SECONDS = 10
FLOOR = ("static file (floor)", "/static/css/site.css")
URLS = [
    ("map (home)", "/"),
    ("area (Camden)", "/areas/E09000007/"),
    ("partnership", "/partnerships/camden-learning/"),
    ("open data page", "/data/"),
    ("API: partnerships, page of 50", "/api/v1/partnerships/?page_size=50"),
    ("download: partnerships.csv", "/data/partnerships.csv"),
]


def load():
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def start_topology(static_root, run_dir, **settings):
    """scripts/serve-topology with production settings (plain HTTP answered: a TLS proxy
    does that in a deployment); returns (process, proxy address)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark-only",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "ACCESS_LOG": "/dev/null",
        "PROXY_ACCESS_LOG": "off",
        "PROXY_PORT": str(port),
        "WEB_PORTS": f"{free_port()} {free_port()}",
        "PGBOUNCER_PORT": str(free_port()),
        "TOPOLOGY_DIR": run_dir,
        "TRUSTED_PROXIES": "127.0.0.1",
        "WEB_TIMEOUT": "120",  # a first build of the register's download is slow
        **settings,
    }
    Path(run_dir).mkdir(parents=True)
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve-topology")],
        env=env,
        cwd=ROOT,
        stdout=(Path(run_dir) / "serve-topology.log").open("wb"),  # read if it stops
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(1800):
        if process.poll() is not None:
            log = (Path(run_dir) / "serve-topology.log").read_text()[-2000:]
            raise SystemExit(f"scripts/serve-topology exited with {process.returncode}:\n{log}")
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("scripts/serve-topology did not start")


def stop_topology(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)


def stored_by_the_proxy(url):
    """Asked for until the proxy answers from its cache, as every later visitor is."""
    for _ in range(10):
        response = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=120)
        assert response.status_code == 200, (url, response.status_code)
        if response.headers.get("X-Cache-Status") == "HIT":
            return
    raise SystemExit(f"{url} is never answered from the proxy's cache")


def under_load(base, script):
    print(
        f"\n1. {CONNECTIONS} connections (wrk -t2) through the proxy, {SECONDS} s per URL "
        "(two app servers of 5 workers each, PgBouncer in transaction mode)"
    )
    print(
        "| URL | requests | req/s | p50 (ms) | p99 (ms) | p99 / floor's | errors "
        "| load average (1/5/15 min) after |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    floor_p99 = None
    for name, path in [FLOOR, *URLS]:
        url = base + path
        stored_by_the_proxy(url)
        hammer(url, 3, script, CONNECTIONS)  # warm, unmeasured
        count, p50, _p95, p99, duration, errors = hammer(url, SECONDS, script, CONNECTIONS)
        floor_p99 = floor_p99 or p99
        print(
            f"| {name} | {count} | {count / duration:.0f} | {p50:.1f} | {p99:.1f} "
            f"| {p99 / floor_p99:.1f}× | {errors} | {load()} |",
            flush=True,
        )


def busting(base):
    from django.core.cache import caches

    from api_core.redis_clients import redis_client

    counters = caches["throttle"]  # the counters earlier runs ran up, and only them
    client = redis_client(counters)
    for key in client.scan_iter(counters.make_key("*").replace(":1:*", "*")):
        client.delete(key)
    print(f"\nload average before trial 3: {load()}")
    p50, p99 = floor(base)
    print(f"floor: static file from the same proxy, idle: p50 {ms(p50)} ms, p99 {ms(p99)} ms")
    print(
        "\n2. (issue 23's trial 3) 16 clients (16 addresses) busting the cache on every "
        "download and page for 30 s through the proxy, one more visitor loading pages"
    )
    report_busting(*trial_busting(base))
    print(f"load average after trial 3: {load()}")


def main(parts):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")
    django.setup()
    with tempfile.TemporaryDirectory() as scratch:
        script = str(Path(scratch) / "report.lua")
        Path(script).write_text(WRK_REPORT)
        static_root = str(Path(scratch) / "static")
        if "load" in parts:
            # The API's quota raised, as serve_load does: this measures the servers.
            topology, base = start_topology(
                static_root, str(Path(scratch) / "run1"), API_ANON_RATE="1000000/min"
            )
            worker = start_worker()
            try:
                print(f"load average at the start: {load()}")
                under_load(base, script)
            finally:
                stop(worker)
                stop_topology(topology)
        if "busting" in parts:
            topology, base = start_topology(static_root, str(Path(scratch) / "run2"))
            worker = start_worker()
            try:
                time.sleep(3)  # the worker connects
                busting(base)
            finally:
                stop(worker)
                stop_topology(topology)


if __name__ == "__main__":
    main(sys.argv[1:] or ["load", "busting"])
