"""Areas side by side: the set in the address, clear refusals, the CSV."""

import csv
import io

import pytest
from django.core.cache import caches

from geodata.landscape_history import academy_share_of

pytestmark = pytest.mark.django_db

SHEFFIELD, CAMDEN = "E08000019", "E09000007"


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()


def test_comparison_shows_each_area_beside_england(client, partnerships, baseline, indicators):
    response = client.get(f"/compare/?areas={SHEFFIELD},{CAMDEN}")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="compare-card') == 3  # two areas and England
    assert "Learn Sheffield" in page and ">England</h2>" in page
    assert "Council&#x27;s school-improvement role" in page or "Council's school" in page
    assert f'href="/compare/?areas={CAMDEN}"' in page  # Sheffield removed
    assert f'href="/compare/?areas={SHEFFIELD}"' in page  # Camden removed
    camden = academy_share_of(CAMDEN)
    assert f"({camden['academies']})" in page


def test_other_codes_and_added_areas_redirect_to_the_canonical_address(client, boundaries):
    response = client.get("/compare/?areas=202, E08000039,202")  # Sheffield's 2025 code
    assert response["Location"] == f"/compare/?areas={CAMDEN},{SHEFFIELD}"
    response = client.get(f"/compare/?areas={CAMDEN}&add=sheffield")
    assert response["Location"] == f"/compare/?areas={CAMDEN},{SHEFFIELD}"
    response = client.get("/compare/?add=E08000019")
    assert response["Location"] == f"/compare/?areas={SHEFFIELD}"


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("E99999999", "No local authority has the code “E99999999”."),
        ("E09000007,E08000039,E08000025,E10000016,E08000035", "At most 4 areas"),
        ("909", "former code now covered by several authorities"),
        ("x" * 300, "is not an area code"),
    ],
)
def test_bad_sets_get_a_clear_message_never_a_500(client, boundaries, asked, message):
    response = client.get("/compare/", {"areas": asked})
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_answer = client.get("/compare/comparison.csv", {"areas": asked})
    assert csv_answer.status_code == 400 and message in csv_answer.content.decode()


def test_adding_an_unknown_area_or_a_fifth_says_so(client, boundaries):
    response = client.get(f"/compare/?areas={CAMDEN}&add=Atlantis")
    assert response.status_code == 400
    page = response.content.decode()
    assert "No local authority is called or has the code “Atlantis”." in page
    assert page.count('class="compare-card') == 2  # Camden kept, and England
    four = "E09000007,E08000019,E08000025,E10000016"
    assert "At most 4 areas" in client.get(f"/compare/?areas={four}&add=Leeds").content.decode()
    full = client.get(f"/compare/?areas={four}").content.decode()
    assert 'id="compare-full"' in full and 'id="compare-add"' not in full


def test_comparison_csv(client, partnerships, baseline, indicators):
    response = client.get(f"/compare/comparison.csv?areas={SHEFFIELD},{CAMDEN}")
    assert response.status_code == 200
    assert 'filename="comparison.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response).decode())))
    assert rows[0][:4] == ["measure", "Sheffield", "Camden", "England (indicators: median of LAs)"]
    by_measure = {row[0]: row[1:4] for row in rows[1:]}
    assert by_measure["ONS code"] == [SHEFFIELD, CAMDEN, "E92000001"]
    assert "Learn Sheffield" in by_measure["Local partnerships"][0]
    assert by_measure["Open state-funded schools"][1] == "59"
    assert any("(%" in measure for measure in by_measure)  # the indicators, with units
