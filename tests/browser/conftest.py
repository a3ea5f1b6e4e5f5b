import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.fixture
def axe():
    return Axe()


@pytest.fixture
def no_serious_violations(axe):
    """Run axe-core (bundled with axe-playwright-python) against the page: WCAG 2.2 AA."""

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                }
            },
        )
        assert results.response["passes"], "axe-core did not run"
        serious = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious
        ]

    return check
