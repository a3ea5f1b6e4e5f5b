"""Time and peak memory of a GIAS import, beside the floor measured in the same run.

The input is an extract in the exact GIAS format built from real rows by
`benchmarks/gias_extract.py` (how, and what is real, is explained there). For each size
it prints the floor (Python's csv parse of the file, and a raw COPY of the same file into
a temporary table by PostgreSQL) and then the import: first into an empty register, then
the same file again (every row unchanged), each in wall time and in the importing
process's own CPU time (which other work on a busy machine inflates less), with its
peak RSS, and the load average when it started. It
runs in a scratch database created next to DATABASE_URL's and dropped afterwards:

    . .local/env && .venv/bin/python benchmarks/gias_import.py 50000
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gias_extract import build  # noqa: E402


def floor(path, url):
    """Seconds to parse the file with Python's csv, and to COPY it raw into PostgreSQL."""
    start = time.perf_counter()
    with open(path, newline="", encoding="cp1252") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for _ in reader:
            pass
    parsed = time.perf_counter() - start
    columns = ", ".join(f"c{index} text" for index in range(len(header)))
    with psycopg.connect(url) as connection:
        connection.execute(f"CREATE TEMPORARY TABLE raw_extract ({columns})")
        start = time.perf_counter()
        with (
            open(path, "rb") as handle,
            connection.cursor().copy(
                "COPY raw_extract FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'WIN1252')"
            ) as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        copied = time.perf_counter() - start
    return round(parsed, 2), round(copied, 2)


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
        "start, cpu = time.perf_counter(), time.process_time();"
        f"run = import_gias_file({str(path)!r}, force=True);"
        "took, took_cpu = time.perf_counter() - start, time.process_time() - cpu;"
        "start, cpu = time.perf_counter(), time.process_time();"
        f"again = import_gias_file({str(path)!r}, force=True);"
        "took_again, again_cpu = time.perf_counter() - start, time.process_time() - cpu;"
        "peak = [line.split()[1] for line in open('/proc/self/status')"
        " if line.startswith('VmHWM')][0];"
        "print(run.status, run.rows_read, run.rejected, round(took, 2), round(took_cpu, 2),"
        " again.unchanged, round(took_again, 2), round(again_cpu, 2), int(peak) // 1024);"
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
        print("load average before: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
        print(
            "| rows | rejected | floor: csv parse (s) | floor: raw COPY (s) | status "
            "| first import (s) | its Python CPU (s) | re-import: unchanged rows "
            "| re-import (s) | its Python CPU (s) | peak RSS (MiB) |"
        )
        print("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
        for rows in sizes:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "edubasealldata20251124.csv"
                build(path, rows)
                parsed, copied = floor(path, scratch_url)
                status, read, rejected, took, cpu, unchanged, again, again_cpu, rss = measure(
                    path, env
                )
                print(
                    f"| {read} | {rejected} | {parsed} | {copied} | {status} | {took} | {cpu} "
                    f"| {unchanged} | {again} | {again_cpu} | {rss} |",
                    flush=True,
                )
    finally:
        drop_database(url, scratch)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [50000])
