"""Time and peak memory of a GIAS import, for extracts of increasing size.

The input is the recorded test extract (real format) repeated with fresh URNs up to N
rows, so the importer does the work of a real daily extract. It runs in a scratch
database created next to DATABASE_URL's and dropped afterwards:

    . .local/env && .venv/bin/python benchmarks/gias_import.py 10000 50000
"""

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_extract(rows, path):
    from tests.geodata.gias_files import read_sample

    header, sample = read_sample()
    with open(path, "w", newline="", encoding="cp1252") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        for index in range(rows):
            writer.writerow({**sample[index % len(sample)], "URN": str(900000 + index)})


def scratch_database():
    url = os.environ["DATABASE_URL"]
    base, _, name = url.rpartition("/")
    scratch = f"{name}_benchmark"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {scratch}")
        connection.execute(f"CREATE DATABASE {scratch}")
    return url, f"{base}/{scratch}", scratch


def drop_database(url, scratch):
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {scratch}")


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)


def measure(path, env):
    """Import in a fresh process; VmHWM is its own peak RSS (ru_maxrss survives exec)."""
    code = (
        "import django, os, time;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'partnerships_map.settings');"
        "django.setup();"
        "from geodata.importers.gias import import_gias_file;"
        "from geodata.models import School;"
        "start = time.perf_counter();"
        f"run = import_gias_file({str(path)!r}, force=True);"
        "took = time.perf_counter() - start;"
        "start = time.perf_counter();"
        f"again = import_gias_file({str(path)!r}, force=True);"
        "took_again = time.perf_counter() - start;"
        "peak = [line.split()[1] for line in open('/proc/self/status')"
        " if line.startswith('VmHWM')][0];"
        "print(run.status, run.rows_read, round(took, 1), again.unchanged,"
        " round(took_again, 1), int(peak) // 1024);"
        "School.objects.all().delete()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return result.stdout.split()


def main(sizes):
    url, scratch_url, scratch = scratch_database()
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark",
    }
    try:
        manage(env, "migrate", "-v", "0")
        manage(env, "load_boundaries")
        print(
            "| rows | status | first import (s) | re-import: unchanged rows "
            "| re-import (s) | peak RSS (MiB) |"
        )
        print("|---:|---|---:|---:|---:|---:|")
        for rows in sizes:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "edubasealldata20991231.csv"
                build_extract(rows, path)
                status, read, seconds, unchanged, again, rss = measure(path, env)
                print(
                    f"| {read} | {status} | {seconds} | {unchanged} | {again} | {rss} |", flush=True
                )
    finally:
        drop_database(url, scratch)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10000, 50000])
