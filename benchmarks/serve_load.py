"""Load test of the pages and the API, beside their floor, in one run.

Starts the server with `scripts/serve`, as `scripts/run` does (gunicorn, workers from the
cores, WhiteNoise), with production settings, on a free loopback port against
DATABASE_URL (load the full register first: `manage.py load_bundled_data`), then wrk
(`apt-get install wrk`) keeps 16 connections busy on each URL for a fixed time, asking
for gzip as browsers do. The floor is a static file from the same server in the same run:
each page's p50 is reported as a multiple of it, beside the targets. A last pass opens 64
connections on the heaviest URLs and counts errors (connection errors, timeouts, non-2xx).
Requests stay on 127.0.0.1 and the run ends by itself.

    . .local/env && .venv/bin/python benchmarks/serve_load.py [seconds per URL]
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
import requests
from django.db.models import Count

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLIENTS = 16
BURST_CLIENTS = 64
WARM_SECONDS = 3
SERVER = "scripts/serve (gunicorn, production settings), as scripts/run starts it"
FLOOR = ("static file (floor)", "/static/css/site.css")
RANDOM_WEIGHTS_PATH = (
    "/api/v1/local-authorities/E08000019/similar/?indicators=childpov,ealpri,density&weights=1,1,1"
)
RANDOM_WEIGHTS = """
request = function()
  local w = {}
  for i = 1, 3 do w[i] = string.format("%.2f", math.random(1, 10000) / 100) end
  return wrk.format("GET", "/api/v1/local-authorities/E08000019/similar/"
    .. "?indicators=childpov,ealpri,density&weights=" .. table.concat(w, ","))
end
"""


def urls_to_measure():
    """(kind, name, path): real pages and API answers of the loaded data."""
    django.setup()
    from geodata.models import School, Trust

    trust = Trust.objects.annotate(n=Count("schools")).order_by("-n").first()
    school = School.objects.open().filter(local_authority__dfe_code="202").order_by("urn").first()
    pages = [
        ("page", "map (home)", "/"),
        ("page", "area (Camden)", "/areas/E09000007/"),
        ("page", "partnership", "/partnerships/camden-learning/"),
        ("page", f"trust ({trust.name}, {trust.n} schools)", f"/trusts/{trust.uid}/"),
        ("page", "school", f"/schools/{school.urn}/"),
    ]
    api = [
        ("api", "partnerships, page of 50", "/api/v1/partnerships/?page_size=50"),
        (
            "api",
            "partnerships filtered (la, focus)",
            "/api/v1/partnerships/?la=E09000007&focus=school_improvement",
        ),
        ("api", "schools in Camden", "/api/v1/schools/?la=E09000007&page_size=100"),
        ("api", "trusts, page of 50", "/api/v1/trusts/?page_size=50"),
        ("api", "local authorities, GeoJSON", "/api/v1/local-authorities/?format=geojson"),
        ("api", "map boundaries (first party)", "/map-data/local-authorities.geojson"),
        ("similar", "similar areas, default", "/api/v1/local-authorities/E08000019/similar/"),
        # New weights on every request (wrk picks them at random): never a cached answer.
        ("similar", "similar areas, random custom weights", RANDOM_WEIGHTS_PATH),
    ]
    return pages + api


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, static_root, raise_api_limit=True, settings=None):
    """`scripts/serve` itself (what `scripts/run` starts): same gunicorn command and workers.

    Production settings, with two changes for a loopback benchmark: plain HTTP is answered
    rather than redirected to HTTPS (a TLS proxy does that in a deployment), and (unless
    `raise_api_limit` is False) the anonymous API quota is raised so the run measures the
    API, not the throttle; `settings`: more environment for the server. Static files are
    collected into a temporary STATIC_ROOT; the access log is written (as in production)
    but discarded.
    """
    env = {
        **os.environ,
        "PORT": str(port),
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark-only",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    if raise_api_limit:
        env["API_ANON_RATE"] = "1000000/min"
    env.update(settings or {})
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"scripts/serve exited with {server.returncode}")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("scripts/serve did not start")


def warm(url, script):
    """Check the URL answers 200 (a benchmark of a redirect or an error is no benchmark),
    then keep every worker busy with it for a while, unmeasured: sequential requests may
    all reach the same worker, leaving the others to build their per-process caches
    during the measurement."""
    for _ in range(12):
        response = requests.get(url, timeout=60, headers={"Accept-Encoding": "gzip"})
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, not 200")
    hammer(url, WARM_SECONDS, script, CLIENTS)


WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def hammer(url, seconds, script, clients):
    """(requests, p50, p95, p99 in ms, duration in s, errors) from wrk."""
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(clients),
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")
    targets = urls_to_measure()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as static_root:
        script = str(Path(static_root) / "report.lua")
        Path(script).write_text(WRK_REPORT)
        random_script = str(Path(static_root) / "random.lua")
        Path(random_script).write_text(RANDOM_WEIGHTS + WRK_REPORT)
        server = start_server(port, static_root)
        try:
            print(f"{CLIENTS} concurrent connections (wrk), {seconds} s per URL, {SERVER}")
            print(
                "| URL | requests | req/s | p50 (ms) | p99 (ms) | p50 / floor | errors | target |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---|")
            floor = None
            for kind, name, path in [("floor", *FLOOR), *targets]:
                url = base + path
                lua = random_script if path == RANDOM_WEIGHTS_PATH else script
                warm(url, lua)
                count, p50, _p95, p99, duration, errors = hammer(url, seconds, lua, CLIENTS)
                if not count:
                    print(f"| {name} | 0 | | | | | {errors} | no answer within the run ✘ |")
                    continue
                floor = floor or p50
                ratio = p50 / floor
                target, met = {
                    "floor": ("", True),
                    "page": ("p50 ≤ 3× floor, p99 ≤ 100 ms", ratio <= 3 and p99 <= 100),
                    "api": ("p50 ≤ 2× floor", ratio <= 2),
                    "similar": ("p50 ≤ 30 ms", p50 <= 30),
                }[kind]
                print(
                    f"| {name} | {count} | {count / duration:.0f} | {p50:.1f} | {p99:.1f} "
                    f"| {ratio:.1f}× | {errors} | {target}{' ✔' if met and target else ''}"
                    f"{' ✘' if not met else ''} |",
                    flush=True,
                )
            print(f"\n{BURST_CLIENTS} concurrent connections, {seconds} s per URL:")
            print("| URL | requests | p50 (ms) | p99 (ms) | errors |")
            print("|---|---:|---:|---:|---:|")
            for _kind, name, path in [targets[0], targets[5], targets[-1]]:
                count, p50, _p95, p99, _duration, errors = hammer(
                    base + path, seconds, script, BURST_CLIENTS
                )
                print(f"| {name} | {count} | {p50:.1f} | {p99:.1f} | {errors} |", flush=True)
            home = requests.get(base + "/", headers={"Accept-Encoding": "gzip"}, stream=True)
            wire = len(home.raw.read())
            print(
                f"\nmap page HTML over the wire (gzip): {wire / 1024:.0f} KB; the whole page "
                "with its scripts, styles and data is weighed by benchmarks/map_page.py"
            )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 8)
