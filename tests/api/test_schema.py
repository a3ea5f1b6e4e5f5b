"""The OpenAPI schema validates, the docs are served from our own files, and a
schema-driven fuzz run (schemathesis, bounded) finds no server error."""

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/partnerships/" in (tmp_path / "s.yml").read_text()


def test_interactive_docs_use_our_own_static_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in html


def wsgi_app():
    from partnerships_map.wsgi import application

    return application


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app())


@pytest.fixture
def unthrottled(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/min")


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_fuzzing_the_api_finds_no_server_error(
    case, partnerships, register, indicators, unthrottled
):
    # The in-process WSGI transport does not decompress: ask for plain bodies.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
