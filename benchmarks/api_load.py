"""Load test of the public API under gunicorn with the bundled real data.

Starts gunicorn (production settings, 4 workers) on a free loopback port against
DATABASE_URL, then wrk (`apt-get install wrk`) keeps 16 connections busy on each endpoint
for a fixed time, asking for gzip as browsers do, and reports latency percentiles,
throughput and errors (connection errors, timeouts and non-2xx answers). Requests stay on
127.0.0.1 and the run ends by itself.

    . .local/env && .venv/bin/python benchmarks/api_load.py [seconds per endpoint]
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
ENDPOINTS = [
    ("partnerships, page of 50", "/api/v1/partnerships/?page_size=50"),
    ("local authorities, GeoJSON", "/api/v1/local-authorities/?format=geojson"),
    (
        "partnerships filtered (la, focus)",
        "/api/v1/partnerships/?la=E08000019&focus=school_improvement",
    ),
    ("similar areas", "/api/v1/local-authorities/E08000019/similar/"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, static_root):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        "API_ANON_RATE": "1000000/min",  # measure the API, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "partnerships_map.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def hammer(url, seconds, script):
    """(requests, p50, p95, p99 in ms, duration in s, errors) from wrk."""
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CLIENTS),
            "-d",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    count, p50, p95, p99, duration, errors = line.split()[1:]
    return int(count), float(p50), float(p95), float(p99), float(duration), int(errors)


def main(seconds):
    port = free_port()
    with tempfile.TemporaryDirectory() as static_root:
        script = str(Path(static_root) / "report.lua")
        Path(script).write_text(WRK_REPORT)
        server = start_server(port, static_root)
        try:
            print(
                f"{CLIENTS} concurrent connections (wrk), {seconds} s per endpoint, "
                "gunicorn 4 workers"
            )
            print("| endpoint | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for name, path in ENDPOINTS:
                url = f"http://127.0.0.1:{port}{path}"
                for _ in range(8):  # warm every worker's cache
                    requests.get(url, timeout=10, headers={"Accept-Encoding": "gzip"})
                count, p50, p95, p99, duration, errors = hammer(url, seconds, script)
                print(
                    f"| {name} | {count} | {count / duration:.0f} | {p50:.1f} | {p95:.1f} "
                    f"| {p99:.1f} | {errors} |",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 15)
