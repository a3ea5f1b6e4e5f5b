"""The weekly link check over every source address in the bundled data, against a local
server that answers for every host (no internet): the checker's transport sends each
request to 127.0.0.1 with the real Host header, and the server answers every page after
`--delay` seconds (a remote site's latency). Reports wall time, requests and the most
requests the server saw at once (bounded by the worker count).

    . .local/env && .venv/bin/python benchmarks/link_check.py --workers 8 --delay 0.2
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")


def bundled_urls():
    """Every source address in the bundled partnerships and LA research files, once."""
    fixtures = ROOT / "fixtures" / "partnerships"
    urls = set()
    for record in json.loads((fixtures / "partnerships.json").read_text()):
        urls.update(source["url"] for source in record.get("sources", []))
    for record in json.loads((fixtures / "la_research.json").read_text()):
        urls.update(source["url"] for source in record.get("sources") or [] if source.get("url"))
    return sorted(urls)


def local_adapter(port):
    """A transport that resolves every host to the local server (plain HTTP)."""
    from requests.adapters import HTTPAdapter

    class EveryHostHere(HTTPAdapter):
        def send(self, request, **kwargs):
            parts = urlsplit(request.url)
            request.headers["Host"] = parts.netloc
            query = f"?{parts.query}" if parts.query else ""
            request.url = f"http://127.0.0.1:{port}{parts.path or '/'}{query}"
            return super().send(request, **kwargs)

    return EveryHostHere


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from partnerships.link_health import check_urls
    from tests.link_server import LinkServer

    urls = bundled_urls()
    hosts = {urlsplit(url).netloc for url in urls}
    print(f"{len(urls)} addresses on {len(hosts)} hosts; every page answers after {args.delay} s")
    for workers in args.workers:
        with LinkServer(delay=args.delay, record=False) as server:
            started = time.perf_counter()
            results = check_urls(
                urls, workers=workers, timeout=args.timeout, transport=local_adapter(server.port)
            )
            elapsed = time.perf_counter() - started
        working = sum(result.works for result in results)
        print(
            f"workers {workers:>2}: {elapsed:6.1f} s, {len(results) / elapsed:5.1f} addresses/s, "
            f"{working}/{len(results)} working, at most {server.load['most']} at once"
        )


if __name__ == "__main__":
    main()
