"""What an answer tells a shared cache in front (the caching proxy): kept answers may be
kept briefly and revalidated; everything else, and anything personal, is private. The same
rules through the real nginx: tests/test_topology.py."""

import pytest
from django.test import Client

from api_core.kept_answers import IMMUTABLE

pytestmark = pytest.mark.django_db


def directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.parametrize("url", ["/", "/areas/E08000019/", "/data/", "/api/v1/partnerships/"])
def test_a_kept_answer_may_be_kept_briefly_by_a_shared_cache(client, partnerships, url, settings):
    settings.PROXY_CACHE_SECONDS = 7
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert {"public", "s-maxage=7"} <= directives(response)
    assert response["ETag"] and "Accept-Encoding" in response["Vary"]
    repeat = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # answered before routing
    assert {"public", "s-maxage=7"} <= directives(repeat)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_an_address_naming_its_data_version_is_kept_as_long_by_a_shared_cache(client, partnerships):
    from geodata.views import boundaries_url

    response = client.get(boundaries_url())
    assert directives(response) == {"public", f"max-age={IMMUTABLE}"}


def test_a_form_with_a_csrf_token_is_private(client, boundaries):
    response = client.get("/suggest/")
    assert response.status_code == 200 and "csrftoken" in response.cookies
    assert "private" in directives(response) and "public" not in directives(response)


def test_every_answer_to_someone_signed_in_is_private(partnerships, moderator):
    signed_in = Client()
    signed_in.force_login(moderator)
    for url in ["/", "/api/v1/partnerships/", "/data/", "/admin/"]:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        kept = directives(response)
        assert "private" in kept and not {"public", "s-maxage"} & {d.split("=")[0] for d in kept}


def test_an_answer_that_says_nothing_is_private(client, boundaries):
    response = client.get("/healthz/nothing-here/")
    assert response.status_code == 404
    assert "private" in directives(response)
