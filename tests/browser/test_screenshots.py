"""Screenshots of the map for the README (docs/), from the bundled real data. Run on purpose:
UPDATE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_screenshots.py"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerships.curated import load_curated_partnerships

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("UPDATE_SCREENSHOTS"), reason="writes docs/*.png"),
]
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("name", "viewport", "url"),
    [
        ("map-desktop.png", {"width": 1366, "height": 768}, "/?la=E08000019"),
        ("map-phone.png", {"width": 390, "height": 844}, "/?la=E08000019"),
    ],
)
def test_screenshot(browser, live_server, boundaries, indicators, name, viewport, url):
    load_curated_partnerships()
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.goto(live_server.url + url)
    expect(page.locator("#map")).to_have_attribute("data-loaded", "153")
    expect(page.locator("#details h2")).to_have_text("Sheffield")
    page.wait_for_timeout(600)  # the zoom animation
    page.screenshot(path=DOCS / name)
    assert (DOCS / name).stat().st_size > 10_000
    context.close()
