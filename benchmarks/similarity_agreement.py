"""How far the `indicators` method agrees with DfE's statistical neighbours, and tuning.

For every LA, the share of DfE's 10 neighbours that our top 10 also contains, averaged
over all 153. `--tune` runs a coordinate search over simple weights (0, 0.5, 1, 2) for
every indicator, starting from the default, and prints the best set found; the default in
geodata/similarity.py is chosen from such runs, keeping round weights a person can read.

    . .local/env && .venv/bin/python benchmarks/similarity_agreement.py [--tune]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")

import django  # noqa: E402

django.setup()

from geodata.models import LocalAuthority  # noqa: E402
from geodata.similarity import (  # noqa: E402
    DEFAULT_WEIGHTS,
    agreement_with_dfe,
    dfe_neighbour_rows,
    matrix,
    similar_by_indicators,
)

STEPS = (0.0, 0.5, 1.0, 2.0)


def tune(start):
    m = matrix()
    neighbours = dfe_neighbour_rows(m)
    codes = [indicator.code for indicator in m.indicators]
    weights = {code: start.get(code, 0.0) for code in codes}

    def score(candidate):
        active = {code: w for code, w in candidate.items() if w > 0}
        return agreement_with_dfe(active, neighbours=neighbours) if active else 0.0

    best = score(weights)
    improved = True
    while improved:
        improved = False
        for code in codes:
            for step in STEPS:
                if step == weights[code]:
                    continue
                candidate = {**weights, code: step}
                value = score(candidate)
                if value > best + 1e-9:
                    best, weights, improved = value, candidate, True
    return best, {code: w for code, w in weights.items() if w > 0}


def main():
    m = matrix()
    print(f"indicators loaded: {len(m.indicators)}; authorities: {len(m.codes)}")
    print(f"default set {DEFAULT_WEIGHTS}")
    print(f"agreement with DfE (mean top-10 overlap): {agreement_with_dfe():.3f}")
    equal = {indicator.code: 1.0 for indicator in m.indicators}
    print(f"all {len(equal)} indicators, equal weights: {agreement_with_dfe(equal):.3f}")
    authority = LocalAuthority.objects.get(name="Sheffield")
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        similar_by_indicators(authority, DEFAULT_WEIGHTS)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"one request (engine only): median {timings[25]:.1f} ms, max {timings[-1]:.1f} ms")
    from django.test import Client

    client = Client()
    url = "/api/v1/local-authorities/E08000019/similar/"
    client.get(url)
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"one API request (in-process, whole Django stack): median {timings[25]:.1f} ms, "
        f"p95 {timings[47]:.1f} ms, max {timings[-1]:.1f} ms"
    )
    if "--tune" in sys.argv:
        best, weights = tune(DEFAULT_WEIGHTS)
        print(f"tuned: {best:.3f} with {weights}")


if __name__ == "__main__":
    main()
