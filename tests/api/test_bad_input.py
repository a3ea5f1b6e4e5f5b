"""Malformed input anywhere gets a 400 naming the parameter, or a 404: never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/abc%00def/",
        "/api/v1/local-authorities/E09%00/",
        "/api/v1/schools/12%00/",
        "/api/v1/trusts/12%00/",
        "/areas/E09%00/",
        "/partnerships/abc%00def/",
        "/partnerships/abc%00def/suggest/",
        "/suggest/received/S-%00/",
        "/api/v1/local-authorities/E09%00/similar/",
    ],
)
def test_a_nul_byte_in_a_path_is_not_found(client, partnerships, url):
    response = client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/partnerships/?q=abc%00def", "q"),
        ("/api/v1/partnerships/?la=E09%00", "la"),
        ("/api/v1/partnerships/?focus=abc%00", "focus"),
        ("/api/v1/schools/?q=abc%00def", "q"),
        ("/api/v1/schools/?la=%C2%B2%C2%B3", "la"),
        ("/api/v1/schools/?trust=%C2%B2", "trust"),
        ("/api/v1/trusts/?q=abc%00def", "q"),
        ("/api/v1/trusts/?la=E09%00", "la"),
        ("/api/v1/partnerships/?updated_since=2025-01-01T00:00:00%2B16:00", "updated_since"),
        ("/api/v1/partnerships/?updated_since=2025-01-01T00:00:00-23:59", "updated_since"),
        ("/api/v1/partnerships/?updated_since=2025%00", "updated_since"),
        ("/api/v1/local-authorities/E08000019/similar/?indicators=a%00b", "indicators"),
        ("/api/v1/local-authorities/E08000019/similar/?n=%C2%B2", "n"),
    ],
)
def test_a_malformed_parameter_is_a_400_naming_it(client, partnerships, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    assert parameter in response.json()


def test_non_ascii_digits_are_searched_as_text_not_numbers(client, register):
    response = client.get("/api/v1/schools/?q=%C2%B2%C2%B3")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_nul_byte_in_a_page_parameter_is_a_400(client, partnerships):
    response = client.get("/?la=E09%00")
    assert response.status_code == 400
    assert response.json() == {"la": ["must not contain a NUL character"]}
