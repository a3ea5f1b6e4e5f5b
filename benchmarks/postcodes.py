"""Postcode loading time and lookup latency, server side, on the bundled 1.5M-row file.

Runs against the development database (the postcode table is reloaded, so it ends as it
started). `--load` times a load into an empty table and an unchanged reload; the lookups
time `find_postcode` and the whole API view (Django test client, no network):

    . .local/env && .venv/bin/python benchmarks/postcodes.py --load --lookups 2000
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")


def percentiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]  # noqa: E731
    return (
        f"p50 {pick(0.5) * 1000:.2f} ms, p95 {pick(0.95) * 1000:.2f} ms, "
        f"p99 {pick(0.99) * 1000:.2f} ms, max {samples[-1] * 1000:.2f} ms "
        f"(mean {statistics.mean(samples) * 1000:.2f} ms, n={len(samples)})"
    )


def time_loads():
    from django.db import connection

    from geodata.importers.postcodes import load_postcodes

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE geodata_postcode")
    for label in ("empty table", "unchanged reload (--force)"):
        started = time.perf_counter()
        run = load_postcodes(force=True, triggered_by="benchmarks/postcodes.py")
        print(f"load, {label}: {time.perf_counter() - started:.1f} s; {run.message}")
    started = time.perf_counter()
    run = load_postcodes(triggered_by="benchmarks/postcodes.py")
    print(f"load, same file again (skipped): {time.perf_counter() - started:.2f} s; {run.message}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('geodata_postcode')), "
            "pg_size_pretty(pg_indexes_size('geodata_postcode'))"
        )
        table, indexes = cursor.fetchone()
    print(f"storage: table {table}, index {indexes}")


def time_lookups(count):
    from django.db import connection
    from django.test import Client

    from geodata.postcodes import display_postcode, find_postcode
    from partnerships.api.views import PostcodeView

    PostcodeView.throttle_classes = []  # measure the lookup, not the fair-use counter
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT postcode FROM geodata_postcode TABLESAMPLE SYSTEM (1) LIMIT %s", [count]
        )
        keys = [row[0] for row in cursor.fetchall()]
    random.Random(2).shuffle(keys)
    spellings = [display_postcode(k).lower() for k in keys]

    samples = []
    for text in spellings:
        started = time.perf_counter()
        find_postcode(text)
        samples.append(time.perf_counter() - started)
    print("find_postcode:", percentiles(samples))

    client = Client(HTTP_HOST="localhost")
    samples = []
    for text in spellings:
        started = time.perf_counter()
        response = client.get(f"/api/v1/postcodes/{text}/")
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print("GET /api/v1/postcodes/<postcode>/ (whole view):", percentiles(samples))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    if args.load:
        time_loads()
    if args.lookups:
        time_lookups(args.lookups)


if __name__ == "__main__":
    main()
