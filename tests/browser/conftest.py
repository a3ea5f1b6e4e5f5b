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


DEVICES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def browser_context_args(browser_context_args):
    """Desktop tests use the common laptop size the issue was tried on."""
    return {**browser_context_args, **DEVICES["desktop"]}


@pytest.fixture(params=list(DEVICES))
def device_page(request, browser):
    """The same journey on a desktop (1366x768) and a phone (390x844)."""
    context = browser.new_context(**DEVICES[request.param])
    page = context.new_page()
    page.device = request.param
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**DEVICES["phone"])
    yield context.new_page()
    context.close()


@pytest.fixture
def no_horizontal_overflow():
    """Nothing wider than the screen: no sideways scrolling of the page itself."""

    def check(page):
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow}px wider than the screen"

    return check


@pytest.fixture
def show_filters():
    """The map's filters start folded on a phone (the map and the selection first): a
    journey that uses them opens them as a visitor would."""

    def show(page):
        if page.locator("#filters details:not([open])").count():
            page.locator("#filters summary").click()

    return show
