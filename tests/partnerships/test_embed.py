"""Embeds may be framed by any site; no other page may be. Both asked twice, as the second
answer comes from the kept copy."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db

CAMDEN, SHEFFIELD = "E09000007", "E08000019"


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()


def framing(response):
    policy = response["Content-Security-Policy"]
    ancestors = next(d for d in policy.split(";") if d.strip().startswith("frame-ancestors"))
    return ancestors.split(None, 1)[1].strip(), response.get("X-Frame-Options")


@pytest.mark.parametrize(
    "path", [f"/embed/areas/{SHEFFIELD}/", "/embed/partnerships/learn-sheffield/"]
)
def test_embeds_may_be_framed_by_any_site_and_set_no_cookie(client, partnerships, path):
    for _ in range(2):  # built, then the kept copy
        response = client.get(path)
        assert response.status_code == 200
        assert framing(response) == ("*", None)
        assert not response.cookies
        assert "script-src 'self'" in response["Content-Security-Policy"]  # the rest unchanged
    page = response.content.decode()
    assert "Learn Sheffield" in page and "CC BY 4.0" in page and "Open Government Licence" in page
    assert 'target="_blank"' in page  # the link back opens outside the frame


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/areas/{SHEFFIELD}/",
        "/partnerships/learn-sheffield/",
        "/landscape/",
        f"/compare/?areas={CAMDEN}",
        "/data/",
        "/about/",
    ],
)
def test_every_other_page_refuses_to_be_framed(client, partnerships, path):
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200, path
        assert framing(response) == ("'none'", "DENY"), path


def test_pages_offer_the_iframe_snippet(client, partnerships):
    area = client.get(f"/areas/{SHEFFIELD}/").content.decode()
    assert f"&lt;iframe src=&quot;http://testserver/embed/areas/{SHEFFIELD}/&quot;" in area
    partnership = client.get("/partnerships/learn-sheffield/").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/partnerships/learn-sheffield/&quot;" in (
        partnership
    )


def test_embed_codes(client, partnerships):
    assert client.get("/embed/areas/373/")["Location"] == f"/embed/areas/{SHEFFIELD}/"
    assert client.get("/embed/areas/E99999999/").status_code == 404
    assert client.get("/embed/partnerships/no-such-thing/").status_code == 404
