"""The OpenAPI schema validates, the docs are served from our own files, and a
schema-driven fuzz run (schemathesis, bounded) with schema-valid and schema-violating input
finds no server error and no disagreement between the schema and the answers: every status,
media type and body is documented, violating input is refused, valid input accepted."""

import json

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/partnerships/" in (tmp_path / "s.yml").read_text()


def test_the_errors_each_operation_gives_are_documented_with_the_shared_schemas():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    parameter_errors = "#/components/schemas/ParameterErrors"
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert {"200", "400", "429", "503"} <= set(responses), path
        assert responses["400"]["content"]["application/json"]["schema"]["$ref"] == (
            parameter_errors
        )
        if "{" in path or path.endswith(("/partnerships/", "/schools/", "/trusts/")):
            assert responses["404"]["content"]["application/json"]["schema"]["$ref"] == (
                "#/components/schemas/Error"
            )


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
def connection_kept_across_requests():
    """As Django's test client does: the in-process WSGI calls must not close the test's
    database connection (its transaction holds the fixtures)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/min")


def positive_data_acceptance_where_the_schema_can_say(ctx, response, case):
    """Schema-valid input is accepted, except a 400 naming only parameters whose validity
    the schema cannot state: a code or slug that names nothing (`la`, `region`,
    `partnership`, `indicators`), weights that do not match them, a box with its corners
    swapped. Those are refused with a 400 naming them, as the API promises."""
    if response.status_code == 400 and set(json.loads(response.content)) <= NAMES_DATA:
        return None
    return positive_data_acceptance(ctx, response, case)


NAMES_DATA = {"la", "region", "partnership", "bbox", "indicators", "weights", "method"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,  # negative cases only: refused with a 4xx
    positive_data_acceptance_where_the_schema_can_say,  # positive cases only
]
# The in-process WSGI transport does not decompress: ask for plain bodies.
PLAIN = {"Accept-Encoding": "identity"}
EXAMPLES_PER_OPERATION = 20  # in each mode: schema-valid input, and schema-violating input


def fuzz(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        case.call_and_validate(headers=PLAIN, checks=CHECKS)

    run()


def real_identifiers():
    """Every stored object's path, so each answer with real data is checked, not only the
    ones fuzzing happens to draw."""
    from geodata.models import LocalAuthority, Postcode, School, Trust
    from partnerships.models import Partnership

    return {
        "/local-authorities/{code}/": [
            {"code": code} for code in LocalAuthority.objects.values_list("ons_code", flat=True)
        ],
        "/local-authorities/{code}/similar/": [{"code": "E08000019"}],
        "/landscape/{code}/": [{"code": "E92000001"}, {"code": "E08000019"}],
        "/partnerships/{slug}/": [
            {"slug": slug} for slug in Partnership.objects.values_list("slug", flat=True)
        ],
        "/schools/{urn}/": [{"urn": urn} for urn in School.objects.values_list("urn", flat=True)],
        "/trusts/{uid}/": [{"uid": uid} for uid in Trust.objects.values_list("uid", flat=True)],
        "/postcodes/{postcode}/": [
            {"postcode": postcode}
            for postcode in Postcode.objects.values_list("postcode", flat=True)
        ]
        + [{"postcode": "ZZ9 9ZZ"}, {"postcode": "not a postcode"}],
    }


def test_fuzzing_the_api_finds_no_server_error_and_answers_match_the_schema(
    curated, register, indicators, postcodes, unthrottled, connection_kept_across_requests
):
    """Bounded (EXAMPLES_PER_OPERATION per operation and mode, fixtures loaded once) to
    stay within CI's time; every real object's detail and every list are checked in JSON
    and GeoJSON besides."""
    identifiers = real_identifiers()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        for mode in GenerationMode:
            fuzz(operation, mode)
        path = operation.path.removeprefix("/api/v1")
        formats = ["json"]
        if "format" in {parameter.name for parameter in operation.iter_parameters()}:
            formats.append("geojson")
        for parameters in identifiers.get(path, [{}]):  # a path's parameters must be listed
            for format_ in formats:
                query = {"format": format_} if len(formats) > 1 else {}
                case = operation.Case(path_parameters=parameters, query=query)
                case.call_and_validate(headers=PLAIN, checks=CHECKS)
