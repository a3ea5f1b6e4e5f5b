import math

import pytest

from geodata.importers.indicators import load_indicators, load_statistical_neighbours
from geodata.models import ImportRun, Indicator, IndicatorValue, LocalAuthority
from geodata.similarity import (
    DEFAULT_WEIGHTS,
    SimilarityError,
    agreement_with_dfe,
    dfe_neighbours,
    parse_weights,
    similar_by_indicators,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/local-authorities/{}/similar/"


def la(name):
    return LocalAuthority.objects.get(name=name)


def names(result):
    return [r["local_authority"]["name"] for r in result["results"]]


def test_indicators_and_neighbours_load_with_year_source_and_licence(indicators):
    prifsm = Indicator.objects.get(code="prifsm")
    assert prifsm.year == "2025" and "Open Government Licence" in prifsm.licence
    assert prifsm.values.count() == 152  # suppressed for the Isles of Scilly
    assert (
        IndicatorValue.objects.get(indicator=prifsm, local_authority=la("Sheffield")).value == 33.8
    )
    sheffield = la("Sheffield").statistical_neighbours.all()
    assert [sn.neighbour.name for sn in sheffield][:5] == [
        "Kirklees",
        "Portsmouth",
        "Salford",
        "Leeds",
        "Derby",
    ]
    assert sheffield[0].closeness == "Very close"


def test_reloading_writes_nothing(indicators):
    again = load_indicators()
    assert (again.created, again.updated) == (0, 0)
    assert load_statistical_neighbours().unchanged == 1530


def test_a_bad_value_refuses_the_whole_file(indicators, tmp_path):
    from geodata.importers.indicators import VALUES

    bad = tmp_path / "values.csv"
    bad.write_text(VALUES.read_text().replace(",33.8,", ",n/a,", 1))
    run = load_indicators(values=bad)
    assert run.status == ImportRun.Status.REFUSED
    assert "is not a number" in run.message
    assert (
        IndicatorValue.objects.get(indicator__code="prifsm", local_authority=la("Sheffield")).value
        == 33.8
    )


def test_results_are_deterministic_sorted_and_exclude_the_area_itself(indicators):
    first = similar_by_indicators(la("Sheffield"), DEFAULT_WEIGHTS)
    second = similar_by_indicators(la("Sheffield"), DEFAULT_WEIGHTS)
    assert names(first) == names(second)
    assert "Sheffield" not in names(first)
    distances = [r["distance"] for r in first["results"]]
    assert distances == sorted(distances) and len(distances) == 10


def test_distance_is_symmetric(indicators):
    def distance(a, b):
        results = similar_by_indicators(la(a), DEFAULT_WEIGHTS, n=152)["results"]
        return next(r["distance"] for r in results if r["local_authority"]["name"] == b)

    assert distance("Sheffield", "Leeds") == pytest.approx(distance("Leeds", "Sheffield"))
    assert distance("Kent", "Rutland") == pytest.approx(distance("Rutland", "Kent"))


def test_weights_change_the_answer(indicators):
    by_density = similar_by_indicators(la("Sheffield"), {"density": 1.0}, n=5)
    by_language = similar_by_indicators(la("Sheffield"), {"ealpri": 1.0}, n=5)
    assert names(by_density) != names(by_language)
    # Only density: the nearest have the nearest densities.
    sheffield_density = IndicatorValue.objects.get(
        indicator__code="density", local_authority=la("Sheffield")
    ).value
    first = by_density["results"][0]["comparison"][0]
    assert first["reference_value"] == sheffield_density
    assert abs(math.log10(first["value"]) - math.log10(sheffield_density)) < 0.05


def test_missing_values_are_left_out_not_treated_as_zero(indicators):
    # The Isles of Scilly have no FSM figure: still comparable on the rest.
    results = similar_by_indicators(la("Isles of Scilly"), DEFAULT_WEIGHTS)["results"]
    assert len(results) == 10
    prifsm = next(c for c in results[0]["comparison"] if c["indicator"] == "prifsm")
    assert prifsm["reference_value"] is None and prifsm["standardised_difference"] is None
    # With only a missing indicator there is nothing to compare.
    assert similar_by_indicators(la("Isles of Scilly"), {"prifsm": 1.0})["results"] == []


def test_dfe_method_returns_the_official_list(indicators):
    neighbours = dfe_neighbours(la("Barking and Dagenham"))
    first_three = [n["local_authority"]["name"] for n in neighbours[:3]]
    assert first_three == ["Enfield", "Luton", "Hounslow"]
    assert neighbours[0]["closeness"] == "Close"


def test_default_set_agrees_with_dfe_as_documented(indicators):
    assert agreement_with_dfe() == pytest.approx(0.512, abs=0.002)
    everything = {code: 1.0 for code in Indicator.objects.values_list("code", flat=True)}
    assert agreement_with_dfe(everything) < agreement_with_dfe()


def test_every_area_gets_similar_areas_by_both_methods(indicators):
    for authority in LocalAuthority.objects.current():
        assert len(similar_by_indicators(authority, DEFAULT_WEIGHTS)["results"]) == 10
        assert len(dfe_neighbours(authority)) == 10


@pytest.mark.parametrize(
    "indicator_codes, weights, field, message",
    [
        ("prifsm,nonsense", None, "indicators", r"unknown indicator\(s\): nonsense"),
        ("prifsm,prifsm", None, "indicators", "named twice"),
        ("prifsm,density", "1", "weights", "1 weights given for 2 indicators"),
        ("prifsm,density", "1,heavy", "weights", "weights must be numbers"),
        ("prifsm,density", "1,-2", "weights", "between 0 and 100"),
        ("prifsm,density", "0,0", "weights", "at least one weight"),
        (None, "1,2", "weights", "need the indicators"),
    ],
)
def test_bad_parameters_name_the_field(indicators, indicator_codes, weights, field, message):
    with pytest.raises(SimilarityError, match=message) as error:
        parse_weights(indicator_codes, weights)
    assert error.value.field == field


def test_api_answers_with_values_side_by_side_and_the_overlap(client, indicators):
    body = client.get(URL.format("373"), follow=True).json()
    assert body["local_authority"]["name"] == "Sheffield"
    assert body["method"] == "indicators"
    assert [i["code"] for i in body["indicators"]] == list(DEFAULT_WEIGHTS)
    assert len(body["results"]) == 10
    first = body["results"][0]
    assert {"rank", "distance", "comparison", "local_authority"} <= set(first)
    assert 0 <= body["overlap"]["count"] <= 10 and body["overlap"]["of"] == 10

    dfe = client.get(URL.format("E08000019"), {"method": "dfe", "n": 3}).json()
    assert [r["local_authority"]["name"] for r in dfe["results"]] == [
        "Kirklees",
        "Portsmouth",
        "Salford",
    ]
    assert dfe["results"][0]["closeness"] == "Very close"
    assert dfe["results"][0]["comparison"][0]["indicator"] == "childpov"


def test_api_custom_indicators_and_weights(client, indicators):
    body = client.get(
        URL.format("E08000019"), {"indicators": "density,rural", "weights": "2,1", "n": 5}
    ).json()
    assert [(i["code"], i["weight"]) for i in body["indicators"]] == [
        ("density", 2.0),
        ("rural", 1.0),
    ]
    assert len(body["results"]) == 5


@pytest.mark.parametrize(
    "params, field",
    [
        ({"method": "astrology"}, "method"),
        ({"n": "ten"}, "n"),
        ({"n": "0"}, "n"),
        ({"n": "51"}, "n"),
        ({"indicators": "prifsm,foo"}, "indicators"),
        ({"indicators": "prifsm", "weights": "x"}, "weights"),
    ],
)
def test_api_400_names_the_bad_parameter(client, indicators, params, field):
    response = client.get(URL.format("E08000019"), params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_api_unknown_area_is_404(client, indicators):
    assert client.get(URL.format("E06999999")).status_code == 404


def test_register_indicators_are_derived_after_an_import(
    boundaries, django_capture_on_commit_callbacks
):
    from geodata.importers.gias import import_gias_file
    from tests.geodata.gias_files import SAMPLE

    with django_capture_on_commit_callbacks(execute=True):  # derived once the import commits
        import_gias_file(SAMPLE)
    greenwich = la("Greenwich")
    values = {
        value.indicator.code: value.value
        for value in IndicatorValue.objects.filter(local_authority=greenwich)
    }
    assert values["schools"] == 1.0
    assert values["mat_schools"] == 100.0
    assert Indicator.objects.get(code="schools").derived_from_register


def test_new_weights_are_answered_from_the_matrix_alone(client, indicators):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api_core.data_version import READ_SQL

    client.get(URL.format("E08000019"))  # the matrix of this data version is built
    with CaptureQueriesContext(connection) as queries:
        body = client.get(
            URL.format("E08000019"), {"indicators": "density,ealpri", "weights": "3,1"}
        ).json()
    # Only the data version is read (in a test's transaction, each time it is asked for).
    assert {q["sql"] for q in queries} <= {READ_SQL}
    assert [i["weight"] for i in body["indicators"]] == [3.0, 1.0]
    assert len(body["results"]) == 10
    assert body["results"][0]["local_authority"]["ons_code"] != "E08000019"
