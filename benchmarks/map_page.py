"""How fast the map becomes interactive, and how fast a filter change shows.

Needs the product running (e.g. `scripts/run`) with the bundled data loaded:

    .venv/bin/python benchmarks/map_page.py http://127.0.0.1:8000/ [runs]

"Interactive" is the moment the page has drawn every LA and wired the filters
(`#map[data-loaded]`), measured from navigation start in headless Chromium with a cold
cache for each run. A filter change is timed in the page from the change event to the end
of the synchronous re-render of list, table and map. The page's weight over the wire is
the sum of the Resource Timing `transferSize` of the document and of everything it loaded
from the site itself (compressed as Chromium asks for it, headers included; map tiles
from the internet are left out: they fail offline and are not the site's weight).
"""

import statistics
import sys

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

FILTER_TIMING = """
() => {
  const select = document.getElementById("f-status");
  const timings = [];
  for (const value of ["active", "unknown", "", "ceased", ""]) {
    const start = performance.now();
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    timings.push(performance.now() - start);
  }
  return timings;
}
"""


WIRE_BYTES = """
() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .filter((entry) => new URL(entry.name).origin === location.origin)
  .reduce((total, entry) => total + entry.transferSize, 0)
"""


def main(url, runs):
    interactive, filters, wire = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#map[data-loaded='153']")
            interactive.append(
                page.evaluate("performance.getEntriesByName('map-interactive')[0].startTime")
            )
            page.wait_for_load_state("networkidle")
            wire.append(page.evaluate(WIRE_BYTES))
            filters.extend(page.evaluate(FILTER_TIMING))
            partnerships = page.evaluate(
                "JSON.parse(document.getElementById('map-data').textContent).partnerships.length"
            )
            context.close()
        browser.close()
    print(f"partnerships on the map: {partnerships}; runs: {runs}")
    print(
        f"interactive (ms): median {statistics.median(interactive):.0f}, max {max(interactive):.0f}"
    )
    print(f"over the wire, cold cache (KB): median {statistics.median(wire) / 1024:.0f}")
    print(f"filter change (ms): median {statistics.median(filters):.1f}, max {max(filters):.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)
