"""An embed in an iframe on a page served from another local origin: it shows, loads
nothing from elsewhere, sets no cookie; an ordinary page in the same place is refused."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEFFIELD = "E08000019"


@pytest.fixture
def other_site():
    """A page at another origin (127.0.0.1 on its own port) framing the address in `?src=`."""

    class Framing(BaseHTTPRequestHandler):
        def do_GET(self):
            src = self.path.split("?src=", 1)[1]
            body = (
                '<!doctype html><html lang="en"><head><title>Another site</title></head><body>'
                f'<h1>Another site</h1><iframe id="embed" title="Embedded map" src="{src}" '
                'width="600" height="520"></iframe></body></html>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Framing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_embed_shows_in_another_sites_iframe(
    device_page, live_server, partnerships, other_site, no_serious_violations
):
    page = device_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    embed = f"{live_server.url}/embed/areas/{SHEFFIELD}/"
    page.goto(other_site + "?src=" + embed)
    frame = page.frame_locator("#embed")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Sheffield")
    expect(frame.locator("#area-map[data-loaded='1']")).to_be_attached()
    expect(frame.get_by_role("link", name="Learn Sheffield")).to_be_visible()
    expect(frame.get_by_text("CC BY 4.0")).to_be_visible()
    from_elsewhere = [url for url in requested if not url.startswith((live_server.url, other_site))]
    assert not from_elsewhere  # no tiles configured in tests, and nothing else
    assert not page.context.cookies()
    embedded = next(f for f in page.frames if f.url.startswith(embed))
    embedded_page_check = embedded.evaluate("() => document.title")
    assert "Sheffield" in embedded_page_check

    # The embed on its own page is accessible.
    page.goto(embed)
    no_serious_violations(page)


def test_other_pages_are_refused_in_another_sites_iframe(
    page, live_server, partnerships, other_site
):
    area = f"{live_server.url}/areas/{SHEFFIELD}/"
    page.goto(other_site + "?src=" + area)
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#embed")
    expect(frame.get_by_role("heading", level=1, name="Sheffield")).to_have_count(0)
    # Chromium shows its own error page in place of a refused frame.
    (child,) = page.main_frame.child_frames
    assert child.url != area or not child.evaluate("() => !!document.querySelector('main')")


def test_area_page_offers_the_snippet(page, live_server, partnerships):
    page.goto(live_server.url + f"/areas/{SHEFFIELD}/")
    page.get_by_text("Embed this map on your website").click()
    snippet = page.get_by_label("Copy this code into your page")
    expect(snippet).to_have_value(
        f'<iframe src="{live_server.url}/embed/areas/{SHEFFIELD}/" '
        'title="Sheffield: education partnerships map" width="100%" '
        'height="480" style="border:0" loading="lazy"></iframe>'
    )
