"""What the headline figures cost an area page (issue 24, item 9).

Needs the bundled data loaded (`manage.py load_bundled_data`); runs in-process, with the
pages' kept answers cleared before each request so every request renders its page:

    .venv/bin/python manage.py shell < benchmarks/area_headline.py

Prints, from the same run: the first area page after a data change (every kept value built,
the headline figures of every area among them), then the median render of 30 other area
pages with the headline figures and without them (the floor: the page as it was), with
their database queries, and the build of every area's, region's and England's figures
once. The load average is printed at the end.
"""

import os
import statistics
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import api_core.kept_answers as kept
import partnerships.views as views
from geodata.models import LocalAuthority
from partnerships.headline_figures import headline_figures

settings.ALLOWED_HOSTS.append("testserver")
client = Client()
codes = list(
    LocalAuthority.objects.current().order_by("ons_code").values_list("ons_code", flat=True)
)


def render(code):
    """One area page rendered anew (its kept page dropped); (seconds, queries)."""
    caches[kept.ANSWERS_CACHE].clear()
    caches[kept.SHARED_ANSWERS_CACHE].clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(f"/areas/{code}/")
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries)


real = views.headline_figures_of
floor = lambda area: {"rows": [], "region_name": "", "england_name": ""}  # noqa: E731
for label, stand_in in [("without them (floor)", floor), ("with the headline figures", real)]:
    views.headline_figures_of = stand_in
    kept._values.clear()
    seconds, queries = render("E09000007")
    print(
        f"first area page after a data change (Camden), {label}: "
        f"{seconds * 1000:.0f} ms, {queries} queries"
    )
views.headline_figures_of = real
for label, stand_in in [
    ("with the headline figures", real),
    ("without them (floor)", floor),
]:
    views.headline_figures_of = stand_in
    render(codes[0])
    runs = [render(code) for code in codes[10:40]]
    views.headline_figures_of = real
    print(
        f"{label}: median {statistics.median(t for t, _ in runs) * 1000:.0f} ms, "
        f"queries median {statistics.median(q for _, q in runs):.0f} (30 areas)"
    )
kept._values.pop("headline-figures", None)
start = time.perf_counter()
headline_figures()
print(f"every area's headline figures built once: {(time.perf_counter() - start) * 1000:.0f} ms")
print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))
