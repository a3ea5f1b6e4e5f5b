"""Lighthouse's mobile profile on every page type, against a local server.

Lighthouse 12.2.3 (the last that runs on Node 20; 13 needs Node 22) is installed from npm
into `.local/lighthouse` on first use (`npm i -E lighthouse@12.2.3`), and runs Debian's
Chromium (`/usr/bin/chromium`, headless). Its default profile is the mobile one: a
Moto G Power sized screen, simulated slow 4G and a 4x CPU slowdown.

The server is `scripts/serve` (gunicorn, production settings), started as the other
benchmarks start it, against DATABASE_URL with the full bundled data loaded
(`manage.py load_bundled_data`), or `--url` to target a server already running. The map
runs without a basemap (`MAP_TILE_URL=""`): tiles come from the internet, which this
machine does not reach, so their cost is not measured (Leaflet loads them after the
page's own content, and they shift nothing: the map's box has a fixed size).

Each page is run 3 times (`--runs`); the median of each figure is reported, with the
load average before and after the page's runs and Lighthouse's own `benchmarkIndex` of the
machine, since the 2 cores are shared and Lighthouse's simulated timings scale with the
real CPU time it observes: under load, total blocking time (and so performance) is
overstated. The server's kept answers go to a Redis database of their own, emptied first.
`--write` adds the results as a dated section to docs/benchmarks.md.

    . .local/env && .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--write]
    .venv/bin/python benchmarks/lighthouse.py --only area,embed-area   # some pages
"""

import argparse
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import django
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from serve_load import free_port, start_server  # noqa: E402  (the same server start)

VERSION = "12.2.3"
INSTALL = ROOT / ".local" / "lighthouse"
LIGHTHOUSE = INSTALL / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
TARGETS = {"performance": 95, "accessibility": 100, "cls": 0.05}
# A run of Lighthouse alone keeps about 1-1.5 of the 2 cores busy; more is other work.
HEAVY_LOAD = 3.0
# The server's kept answers go to a Redis database of their own, emptied first: kept
# answers outlive a server (they are keyed by data version, not by code), so a shared
# cache would give pages rendered by an earlier checkout, naming its scripts.
CACHE_DB = 13
AREA = "E08000019"  # Sheffield: a metropolitan district with partnerships and neighbours
PARTNERSHIP = "learn-sheffield"


def install_lighthouse():
    if LIGHTHOUSE.exists():
        installed = json.loads((INSTALL / "node_modules/lighthouse/package.json").read_text())
        if installed["version"] == VERSION:
            return
    INSTALL.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund"],
        cwd=INSTALL,
        check=True,
    )


def pages_to_measure(base):
    """(key, name, path) for every page type, from the loaded data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")
    django.setup()
    from django.db.models import Count

    from geodata.models import School, StatisticalNeighbour, Trust

    trust = Trust.objects.annotate(n=Count("schools")).order_by("-n").first()
    school = School.objects.open().filter(local_authority__ons_code=AREA).order_by("urn").first()
    neighbours = StatisticalNeighbour.objects.filter(local_authority__ons_code=AREA)
    codes = [AREA, *neighbours.order_by("rank").values_list("neighbour__ons_code", flat=True)[:3]]
    # The comparison's canonical address (the page redirects to it from any other order).
    compare = requests.get(f"{base}/compare/?areas={','.join(codes)}", timeout=60).url
    compare = compare.removeprefix(base)
    return [
        ("home", "home map", "/"),
        ("area", f"area ({AREA})", f"/areas/{AREA}/"),
        ("partnership", f"partnership ({PARTNERSHIP})", f"/partnerships/{PARTNERSHIP}/"),
        ("trust", f"trust ({trust.n} schools)", f"/trusts/{trust.uid}/"),
        ("school", "school", f"/schools/{school.urn}/"),
        ("data", "open data", "/data/"),
        ("suggest", "suggestion form", "/suggest/"),
        ("method", "similar-areas method", "/about/similar-areas/"),
        ("compare", "comparison (4 areas)", compare),
        ("embed-area", "embed: area", f"/embed/areas/{AREA}/"),
        ("embed-partnership", "embed: partnership", f"/embed/partnerships/{PARTNERSHIP}/"),
        ("landscape", "landscape over time (England)", "/landscape/"),
        ("area-timeline", "area's timeline (opened at it)", f"/areas/{AREA}/#timeline"),
    ]


def run_lighthouse(url, output, tries=3):
    """One Lighthouse run; tried again when Lighthouse itself fails (on a busy machine its
    trace sometimes misses the navigation: NO_NAVSTART)."""
    for attempt in range(tries):
        try:
            return lighthouse_once(url, output)
        except subprocess.CalledProcessError:
            if attempt == tries - 1:
                raise


def lighthouse_once(url, output):
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    report = json.loads(Path(output).read_text())
    audits = report["audits"]
    failing = sorted(
        audit_id
        for audit_id, audit in audits.items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    )
    shifts = [
        item.get("node", {}).get("selector", "?")
        for item in (audits.get("layout-shifts", {}).get("details") or {}).get("items", [])
    ]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        # Lighthouse's measure of this machine's speed at the time (a mid-range phone's
        # simulated 4x slowdown assumes a desktop of about 1,000-2,000).
        "benchmark_index": report["environment"]["benchmarkIndex"],
        "failing": failing,
        "shifts": shifts,
    }


def load_average():
    return os.getloadavg()[0]


def measure(base, pages, runs):
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for key, name, path in pages:
            before = load_average()
            trials = [run_lighthouse(base + path, f"{folder}/{key}-{n}.json") for n in range(runs)]
            after = load_average()
            median = {
                figure: statistics.median(t[figure] for t in trials)
                for figure in (
                    "performance",
                    "accessibility",
                    "cls",
                    "tbt",
                    "lcp",
                    "fcp",
                    "benchmark_index",
                )
            }
            result = {
                "key": key,
                "name": name,
                "path": path,
                "trials": trials,
                "median": median,
                "load": (before, after),
                "failing": sorted({a for t in trials for a in t["failing"]}),
                "shifts": sorted({s for t in trials for s in t["shifts"]}),
            }
            results.append(result)
            print(row(result), flush=True)
            if result["failing"] or result["shifts"]:
                print(f"    failing audits: {result['failing']}; shifted: {result['shifts']}")
    return results


def meets(median):
    return (
        median["performance"] >= TARGETS["performance"]
        and median["accessibility"] >= TARGETS["accessibility"]
        and median["cls"] <= TARGETS["cls"]
    )


def row(result):
    m = result["median"]
    performances = "–".join(str(p) for p in sorted({t["performance"] for t in result["trials"]}))
    return (
        f"| {result['name']} | `{result['path']}` | {m['performance']:.0f} ({performances}) "
        f"| {m['accessibility']:.0f} | {m['cls']:.3f} | {m['tbt']:.0f} | {m['lcp'] / 1000:.1f} "
        f"| {result['load'][0]:.1f}–{result['load'][1]:.1f} | {m['benchmark_index']:.0f} "
        f"| {'yes' if meets(m) else 'no'} |"
    )


HEADER = (
    "| page | address | performance (range) | accessibility | CLS | TBT (ms) | LCP (s) "
    "| load average (before–after) | Lighthouse benchmarkIndex "
    "| meets ≥ 95 / 100 / CLS ≤ 0.05? |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def section(results, runs, started, server):
    loads = [load for r in results for load in r["load"]]
    heavy = max(loads) > HEAVY_LOAD
    today = started.strftime("%Y-%m-%d")
    lines = [
        f"## {today}: Lighthouse mobile profile on every page type (`benchmarks/lighthouse.py`)",
        "",
        f"Measured {started:%H:%M} UTC–{datetime.datetime.now(datetime.UTC):%H:%M} UTC: "
        f"Lighthouse {VERSION}, its default mobile profile (simulated slow 4G, 4× CPU "
        f"slowdown), Debian's Chromium headless; {server}, full bundled data, no basemap "
        f'(`MAP_TILE_URL=""`: tiles come from the internet, not reached here). Each page '
        f"{runs} times; each figure is the median of the {runs} runs. Load average "
        f"{min(loads):.1f}–{max(loads):.1f} on 2 cores"
        + (
            ": **the machine was under heavy load from other sessions' work**, which "
            "lengthens Lighthouse's simulated times (it scales what it observes), so "
            "performance figures are pessimistic."
            if heavy
            else "."
        ),
        "",
        HEADER,
        *(row(r) for r in results),
        "",
    ]
    return "\n".join(lines)


def write_section(text):
    """Newest first: the section goes before the first dated section."""
    path = ROOT / "docs" / "benchmarks.md"
    content = path.read_text()
    at = content.find("\n## 20")
    at = len(content) if at < 0 else at + 1
    path.write_text(content[:at] + text + "\n" + content[at:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a server already running (default: start one)")
    parser.add_argument("--only", help="comma-separated page keys")
    parser.add_argument("--write", action="store_true", help="add to docs/benchmarks.md")
    args = parser.parse_args()
    install_lighthouse()
    # Stopped, the run still stops the server it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    started = datetime.datetime.now(datetime.UTC)
    server = None
    if args.url:
        base, described = args.url.rstrip("/"), f"the server at {args.url}"
    else:
        port = free_port()
        static_root = tempfile.mkdtemp(prefix="lighthouse-static-")
        cache_url = re.sub(r"(/\d*)?$", f"/{CACHE_DB}", os.environ["REDIS_URL"], count=1)
        redis.Redis.from_url(cache_url).flushdb()
        server = start_server(
            port,
            static_root,
            settings={
                "MAP_TILE_URL": "",
                "PAGE_RENDER_RATE": "100000/min",
                "REDIS_CACHE_URL": cache_url,
                # The first build of the open-data page reads every file (over 30 s on a
                # busy machine); measured here is the page as visitors get it, built.
                "WEB_TIMEOUT": "300",
            },
        )
        base = f"http://127.0.0.1:{port}"
        described = "`scripts/serve` (gunicorn, production settings)"
    try:
        pages = pages_to_measure(base)
        if args.only:
            by_key = {page[0]: page for page in pages}
            pages = [by_key[key] for key in args.only.split(",")]  # in the order given
        for _, _, path in pages:  # every page answers, and each worker has rendered it
            for _ in range(6):
                response = requests.get(base + path, timeout=300)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
        print(HEADER)
        results = measure(base, pages, args.runs)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
    text = section(results, args.runs, started, described)
    if args.write:
        write_section(text)
    else:
        print()
        print(text)


if __name__ == "__main__":
    main()
