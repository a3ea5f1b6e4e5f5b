"""What visitors wait for at the worst moments: right after a data change (a moderator's
approval moves the data version, and every kept answer is of the old one), and while one
client asks for ever new addresses to defeat the kept answers.

Starts the server with `scripts/serve` (gunicorn, production settings, as `scripts/run`
does) and a Celery worker (which rebuilds the shared answers after a change), on free
loopback ports, against DATABASE_URL and REDIS_URL with the full bundled data loaded
(`manage.py load_bundled_data`). Every figure is printed beside its floor from the same
run: a static file from the same server. Requests stay on 127.0.0.1; the run ends by itself.

    . .local/env && .venv/bin/python benchmarks/after_change.py

Trials:
0. What the worker's rebuild after a change costs when visitors asked for every area and
   partnership page during the version before: every one is asked for once, the data
   changes, and the rebuild (`rebuild_shared`, as the worker runs it) is timed here.
1. 16 visitors ask for the open-data page at the same moment right after a change, while
   one more visitor loads the home page over and over: the slowest of each; then 16 ask
   for the static file at the same moment (the floor, asked for alike).
2. 16 connections keep loading the home page, an area page, an API list and the static
   file (four each: the floor under the same load), and one more visitor the home page; a
   change happens in the middle: p50, p99 and the slowest of each request started after
   it, while the worker rebuilds, beside the server's own slowest (its access log).
3. 16 clients ask for every download and page with a new query string each time, for 30
   s, while one visitor loads pages: that visitor's p50 and p99 against an idle run just
   before. This trial runs with the production fair-use limits (the others raise the
   API's and the page limit, to measure the server rather than the throttle), behind a
   stand-in for a reverse proxy: the server believes `X-Forwarded-For` from 127.0.0.1
   (`TRUSTED_PROXIES`), and each busting client gives an address of its own (16 distinct
   clients), the visitor another. The visitor runs in a process of its own, so the
   busting clients' threads never hold the visitor's interpreter: its times are the
   server's.
4. Keyed against anonymous API lists: wrk keeps 16 connections on the same list for 8 s,
   with and without an API key (created for the run, deleted after), twice each in turn.

Every row gives the load average (1, 5 and 15 minutes) when it ends: the machine is shared.

    .venv/bin/python benchmarks/after_change.py busting   # trial 3 alone
    .venv/bin/python benchmarks/after_change.py change    # all but trial 3
"""

import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import django
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from serve_load import WRK_REPORT, free_port, hammer, start_server  # noqa: E402

CLIENTS = 16
STATIC = "/static/css/site.css"
HOME, AREA, DATA = "/", "/areas/E08000019/", "/data/"
API_LIST = "/api/v1/partnerships/?page_size=50"
DOWNLOADS = [
    "/data/partnerships.csv",
    "/data/memberships.csv",
    "/data/partnerships.geojson",
    "/data/local-authorities.geojson",
    "/data/la-research.csv",
    "/data/schools.csv",
    "/data/schools.geojson",
]
PAGES = [HOME, AREA, "/partnerships/learn-sheffield/", DATA, "/about/similar-areas/"]
ACROSS = [HOME, AREA, API_LIST, STATIC]  # trial 2: the kept answers, and their floor
WATCHED = "home, one more visitor"
HEADERS = {"Accept-Encoding": "gzip"}


def timed(session, url):
    """(seconds, status) of one request, the body read whole as sent (gzipped: a browser
    unpacks it on its own cores, not on the server's)."""
    start = time.perf_counter()
    try:
        response = session.get(url, headers=HEADERS, timeout=60, stream=True)
        response.raw.read()
        status = response.status_code
    except requests.RequestException:
        status = 0
    return time.perf_counter() - start, status


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(seconds):
    return f"{seconds * 1000:.0f}"


def load():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def change_the_data():
    """What an approval does to the data version: a published partnership saved."""
    from django.utils import timezone

    from partnerships.models import Partnership

    Partnership.objects.filter(slug="learn-sheffield").update(updated_at=timezone.now())


def start_worker():
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "benchmark-only"}
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "partnerships_map", "worker", "--pool", "solo"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def floor(base, seconds=5):
    session, times = requests.Session(), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        times.append(timed(session, base + STATIC)[0])
    return statistics.median(times), percentile(times, 0.99)


def warm(base):
    session = requests.Session()
    for path in [*PAGES, *DOWNLOADS, API_LIST]:
        for _ in range(6):  # reach every worker
            assert timed(session, base + path)[1] == 200, path


def watch(base, path, stop, into):
    """One visitor loading `path` over and over until `stop` is set."""
    session = requests.Session()
    while not stop.is_set():
        into.append(timed(session, base + path))


# The server's own time for each request (gunicorn's access log, microseconds): what a
# slow request spent in the server rather than waiting to be accepted or in the client.
ACCESS_FORMAT = "--access-logformat '%(r)s %(D)s'"


def server_times(access_log, offset):
    """{path: [seconds]} of the requests the server logged after `offset` bytes."""
    times = {}
    with open(access_log, "rb") as log:
        log.seek(offset)
        for line in log.read().decode().splitlines():
            method, path, _protocol, micros = line.split()
            times.setdefault(path, []).append(int(micros) / 1e6)
    return times


def burst(base, path):
    """16 visitors ask for `path` at the same moment while one more loads the home page:
    (slowest of the 16, slowest home page, home pages loaded, errors)."""
    start, answers, home = threading.Barrier(CLIENTS + 1), [], []

    def visit():
        session = requests.Session()
        start.wait()
        answers.append(timed(session, base + path))

    visitors = [threading.Thread(target=visit) for _ in range(CLIENTS)]
    for visitor in visitors:
        visitor.start()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(base, HOME, stop, home))
    start.wait()
    watcher.start()
    for visitor in visitors:
        visitor.join()
    stop.set()
    watcher.join()
    errors = sum(status != 200 for _, status in answers + home)
    return max(t for t, _ in answers), max(t for t, _ in home), len(home), errors


def trial_simultaneous(base, access_log):
    """The open-data page's burst right after a change (and the server's own slowest for
    it), then the static file's (the floor, asked for alike)."""
    warm(base)
    time.sleep(1)
    logged = os.path.getsize(access_log)
    change_the_data()
    data, home, count, errors = burst(base, DATA)
    in_server = max(server_times(access_log, logged).get(DATA, [0]))
    static, *_ = burst(base, STATIC)
    return data, in_server, home, static, count, errors


def rebuild_cost(base):
    """Every area and partnership page asked for once (the demand a live site has), the
    data changed, then the worker's rebuild timed: (answers built, seconds)."""
    from api_core.kept_answers import rebuild_shared
    from geodata.models import LocalAuthority
    from partnerships.models import Partnership

    session = requests.Session()
    codes = LocalAuthority.objects.current().values_list("ons_code", flat=True)
    slugs = Partnership.objects.published().values_list("slug", flat=True)
    paths = [f"/areas/{code}/" for code in codes] + [f"/partnerships/{s}/" for s in slugs]
    for path in paths:
        assert timed(session, base + path)[1] == 200, path
    change_the_data()
    start = time.perf_counter()
    built = rebuild_shared()
    return len(paths), built, time.perf_counter() - start


def keyed_against_anonymous(base, workdir, seconds=8):
    """[(who, requests, req/s, p50 ms, p99 ms, errors)], anonymous and keyed in turn."""
    from rest_framework_api_key.models import APIKey

    api_key, key = APIKey.objects.create_key(name="benchmark (after_change.py)")
    anonymous = Path(workdir) / "anonymous.lua"
    anonymous.write_text(WRK_REPORT)
    keyed = Path(workdir) / "keyed.lua"
    keyed.write_text(f'wrk.headers["Authorization"] = "Api-Key {key}"\n' + WRK_REPORT)
    rows = []
    try:
        for who, script in [("anonymous", anonymous), ("keyed", keyed)] * 2:
            hammer(base + API_LIST, 2, str(script), CLIENTS)  # every worker warm
            count, p50, _p95, p99, duration, errors = hammer(
                base + API_LIST, seconds, str(script), CLIENTS
            )
            rows.append((who, count, count / duration, p50, p99, errors, load()))
    finally:
        api_key.delete()
    return rows


def trial_across(base, access_log, seconds=12):
    """({path: [seconds of each request started after the change]}, for the kept answers
    and the static file loaded alike (four connections each) and a visitor's home page;
    {path: [the server's own seconds]} for the requests it logged after the change)."""
    warm(base)
    stop, samples = threading.Event(), []
    change_at = time.monotonic() + seconds / 3

    def load(path, label):
        session = requests.Session()
        while not stop.is_set():
            started = time.monotonic()
            took, status = timed(session, base + path)
            samples.append((started, label, took, status))

    loaded = [(path, path) for path in ACROSS] + [(HOME, WATCHED)]
    threads = [threading.Thread(target=load, args=loaded[i % len(ACROSS)]) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=load, args=loaded[-1]))
    for thread in threads:
        thread.start()
    time.sleep(max(0, change_at - time.monotonic()))
    logged = os.path.getsize(access_log)
    change_the_data()
    changed = time.monotonic()
    time.sleep(seconds * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join()
    errors = sum(status != 200 for *_, status in samples)
    after = {label: [] for _, label in loaded}
    for started, label, took, _status in samples:
        if started >= changed:
            after[label].append(took)
    return after, server_times(access_log, logged), len(samples), errors


VISITOR_ADDRESS = "10.0.1.1"


def busting_client_address(number):
    return f"10.0.0.{number + 1}"


def visit_pages(base, seconds, into):
    """One visitor (its own address) loading the site's pages for `seconds`, in a process
    of its own; its times go to `into` (a pipe)."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = VISITOR_ADDRESS
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        took, status = timed(session, base + random.choice(PAGES))
        assert status == 200, status
        times.append(took)
    into.send(times)


def visitor_times(base, seconds):
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    visitor = multiprocessing.get_context("fork").Process(
        target=visit_pages, args=(base, seconds, send)
    )
    visitor.start()
    return visitor, receive


def trial_busting(base, seconds=30):
    warm(base)
    visitor, times = visitor_times(base, 10)
    idle = times.recv()
    visitor.join()
    stop = threading.Event()
    busting_answers = []

    def bust(number):
        client = requests.Session()
        client.headers["X-Forwarded-For"] = busting_client_address(number)
        while not stop.is_set():
            path = random.choice(DOWNLOADS + PAGES)
            took, status = timed(client, f"{base}{path}?x={random.random()}")
            busting_answers.append(("file" if path in DOWNLOADS else "page", status, took))

    visitor, times = visitor_times(base, seconds)  # forked before the threads start
    threads = [threading.Thread(target=bust, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    busy = times.recv()
    visitor.join()
    stop.set()
    for thread in threads:
        thread.join()
    kinds = {}  # (kind, status) -> times
    for kind, status, took in busting_answers:
        kinds.setdefault((kind, status), []).append(took)
    return idle, busy, kinds


def main(only_busting=False, skip_busting=False):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")
    with tempfile.TemporaryDirectory() as static_root:
        # As the server and the worker run (trial 0 times the worker's rebuild here):
        # production settings, and the static files the server collects (pages name them).
        os.environ.update(
            DJANGO_ENV="production", SECRET_KEY="benchmark-only", STATIC_ROOT=static_root
        )
        django.setup()
        if not only_busting:
            after_a_change(static_root)
        if not skip_busting:
            trial_3(static_root)


def after_a_change(static_root):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The fair-use limits raised (all clients here are one address): the server measured;
    # and a first build of the open-data page (before any trial) is slow on a busy machine.
    limits = {"API_KEY_RATE": "1000000/min", "PAGE_RENDER_RATE": "1000000/min"}
    access_log = os.path.join(static_root, "access.log")
    server = start_server(
        port,
        static_root,
        settings={
            **limits,
            "WEB_TIMEOUT": "120",
            "ACCESS_LOG": access_log,
            "GUNICORN_CMD_ARGS": ACCESS_FORMAT,
        },
    )
    worker = start_worker()
    try:
        time.sleep(3)  # the worker connects
        p50, p99 = floor(base)
        print(
            f"floor: static file from the same server, idle: p50 {ms(p50)} ms, "
            f"p99 {ms(p99)} ms (load {load()})"
        )
        print("\n0. The worker's rebuild after a change, every area and partnership page asked")
        asked, built, seconds = rebuild_cost(base)
        print(
            f"{asked} pages asked for; the rebuild built {built} answers in {seconds:.1f} s "
            f"({seconds / max(built, 1) * 1000:.0f} ms each; load {load()})",
            flush=True,
        )
        print("\n1. 16 visitors to /data/ at once right after a change, home page timed meanwhile")
        print(
            "| trial | slowest /data/ (ms) | the server's slowest /data/ | slowest home (ms) "
            "| slowest static file, 16 at once (ms) | home requests | errors | load |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for number in range(1, 4):
            data, in_server, home, static, count, errors = trial_simultaneous(base, access_log)
            print(
                f"| {number} | {ms(data)} | {ms(in_server)} | {ms(home)} | {ms(static)} "
                f"| {count} | {errors} | {load()} |",
                flush=True,
            )
        print(
            "\n2. 16 connections on home, an area page, an API list and the static file (the "
            "floor, loaded alike) across a change: requests started after it (ms)"
        )
        print(
            "| trial | address | requests | p50 | p99 | slowest | the server's slowest "
            "| errors (all) | load |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for number in range(1, 3):
            after, served, count, errors = trial_across(base, access_log)
            when = load()
            for label, times in after.items():
                in_server = ms(max(served.get(HOME if label == WATCHED else label, [0])))
                print(
                    f"| {number} | {label} | {len(times)} | {ms(statistics.median(times))} "
                    f"| {ms(percentile(times, 0.99))} | {ms(max(times))} | {in_server} "
                    f"| {errors} of {count} | {when} |",
                    flush=True,
                )
        p50, p99 = floor(base)
        print(f"floor again, after: p50 {ms(p50)} ms, p99 {ms(p99)} ms (load {load()})")
        print(f"\n4. {API_LIST}, 16 connections (wrk), anonymous and keyed in turn")
        print("| who | requests | req/s | p50 (ms) | p99 (ms) | errors | load |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for who, count, rate, p50, p99, errors, when in keyed_against_anonymous(base, static_root):
            print(
                f"| {who} | {count} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {errors} | {when} |",
                flush=True,
            )
    finally:
        stop(worker, server)


def trial_3(static_root):
    from django.core.cache import caches

    from api_core.redis_clients import redis_client

    counters = caches["throttle"]  # the counters earlier trials ran up, and only them
    client = redis_client(counters)
    for key in client.scan_iter(counters.make_key("*").replace(":1:*", "*")):
        client.delete(key)
    # Always the same port: the answers shared in Redis name it, and are built once.
    port = int(os.environ.get("BENCHMARK_PORT", "58123"))
    base = f"http://127.0.0.1:{port}"
    settings = {"TRUSTED_PROXIES": "127.0.0.1", "WEB_TIMEOUT": "120"}  # a first build is slow
    server = start_server(port, static_root, raise_api_limit=False, settings=settings)
    worker = start_worker()
    try:
        time.sleep(3)  # the worker connects
        p50, p99 = floor(base)
        print(f"floor: static file from the same server, idle: p50 {ms(p50)} ms, p99 {ms(p99)} ms")
        print(
            "\n3. 16 clients (16 addresses) busting the cache on every download and page "
            "for 30 s, one more visitor (another address) loading pages"
        )
        report_busting(*trial_busting(base))
    finally:
        stop(worker, server)


def report_busting(idle, busy, statuses):
    """Trial 3's tables: the visitor's pages idle and while the clients bust, and the
    busting clients' own answers by kind and status."""
    print("| one visitor's pages | requests | p50 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|")
    for name, times in [("idle", idle), ("while 16 clients bust", busy)]:
        print(
            f"| {name} | {len(times)} | {ms(statistics.median(times))} "
            f"| {ms(percentile(times, 0.99))} |"
        )
    print(f"p99 busy / idle: {percentile(busy, 0.99) / percentile(idle, 0.99):.1f}×")
    print("\n| busting clients' answers | count | p50 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|")
    for (kind, status), times in sorted(statuses.items()):
        print(
            f"| {kind}, {status} | {len(times)} | {ms(statistics.median(times))} "
            f"| {ms(percentile(times, 0.99))} |"
        )


def stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:  # a worker still busy with a build
            process.kill()
            process.wait()


if __name__ == "__main__":
    main(only_busting=sys.argv[1:] == ["busting"], skip_busting=sys.argv[1:] == ["change"])
