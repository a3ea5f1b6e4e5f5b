"""The API answers its errors in JSON, whatever failed: with the database down a client gets a
JSON 503 with a short `detail` (and no internals), while the pages keep their HTML error page."""

import socket

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture
def database_down(boundaries):
    """The connection pointed at a port nothing listens on, as when PostgreSQL is stopped."""
    settings = connection.settings_dict
    saved = {key: settings[key] for key in ("HOST", "PORT")}
    connection.close()
    settings.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        settings.update(saved)


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/",
        "/api/v1/schools/100118/",
        "/api/v1/local-authorities/E08000019/",
        "/api/v1/local-authorities/E08000019/similar/",
        "/api/v1/postcodes/S12HE/",
        "/api/v1/search/?q=sheffield",
    ],
)
def test_with_the_database_down_the_api_answers_a_json_503(database_down, visitor, url):
    response = visitor.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and "database" in body["detail"].lower()
    assert "127.0.0.1" not in body["detail"] and "Error" not in body["detail"]


def test_with_the_database_down_pages_keep_their_html_error_page(database_down, visitor):
    response = visitor.get("/partnerships/learn-sheffield/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_any_other_server_error_in_the_api_is_a_json_500(visitor, boundaries, monkeypatch):
    from geodata.api.views import SchoolViewSet

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SchoolViewSet, "retrieve", broken)
    response = visitor.get("/api/v1/schools/100118/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error."}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/schools/not-a-urn/",
        "/api/v1/trusts/%EF%BC%99/",
        "/api/v1/partnerships/a.b/",
        "/api/v1/nothing-here/",
    ],
)
def test_an_api_address_that_names_nothing_is_a_json_404(visitor, boundaries, url):
    response = visitor.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_names_nothing_is_the_html_404(visitor, boundaries):
    response = visitor.get("/partnerships/a.b/c/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
