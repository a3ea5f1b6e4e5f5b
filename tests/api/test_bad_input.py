"""Malformed input anywhere gets a 400 naming the parameter, or a 404: never a 500."""

from urllib.parse import unquote

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


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        # Digits of other scripts: Python's int() and float() read them, the API does not.
        ("/api/v1/partnerships/?page=%D9%A2", "page"),  # Arabic-Indic two
        ("/api/v1/schools/?page=%EF%BC%92", "page"),  # full-width two
        ("/api/v1/schools/?page_size=%D9%A2", "page_size"),
        ("/api/v1/trusts/?page_size=%EF%BC%95", "page_size"),
        ("/api/v1/schools/?trust=%EF%BC%99%EF%BC%90%EF%BC%90%EF%BC%91", "trust"),
        ("/api/v1/schools/?bbox=%EF%BC%8D0.1,51.4,0.2,51.55", "bbox"),
        ("/api/v1/schools/?bbox=-0.1,%EF%BC%95%EF%BC%91.4,0.2,51.55", "bbox"),
        ("/api/v1/partnerships/?bbox=-0.1,51.4,0.2,5%D9%A1.55", "bbox"),
        ("/api/v1/partnerships/?bbox=-0.1,51.4,0.2,5_1.55", "bbox"),
        ("/api/v1/partnerships/?bbox=nan,51.4,0.2,51.55", "bbox"),
        ("/api/v1/local-authorities/E08000019/similar/?n=%D9%A2", "n"),
        (
            "/api/v1/local-authorities/E08000019/similar/?indicators=rural&weights=%EF%BC%92",
            "weights",
        ),
        ("/api/v1/local-authorities/E08000019/similar/?indicators=rural&weights=", "weights"),
        # Not a page: refused, not silently replaced by the default.
        ("/api/v1/partnerships/?page=abc", "page"),
        ("/api/v1/partnerships/?page=0", "page"),
        ("/api/v1/partnerships/?page=-1", "page"),
        ("/api/v1/partnerships/?page=", "page"),
        ("/api/v1/schools/?page_size=null", "page_size"),
        ("/api/v1/schools/?page_size=0", "page_size"),
        ("/api/v1/schools/?page_size=", "page_size"),
        # Empty values of typed parameters: refused, not ignored.
        ("/api/v1/partnerships/?format=", "format"),
        ("/api/v1/schools/?format=xml", "format"),
        ("/api/v1/schools/100118/?format=nope", "format"),
        ("/api/v1/partnerships/?updated_since=", "updated_since"),
        ("/api/v1/partnerships/?updated_since=2025-01-01", "updated_since"),  # no time
        ("/api/v1/partnerships/?updated_since=2025-01-01T00:00:00", "updated_since"),  # no offset
        ("/api/v1/partnerships/?updated_since=%D9%A2025-01-01T00:00:00Z", "updated_since"),
        ("/api/v1/schools/?trust=", "trust"),
        ("/api/v1/schools/?trust=1.5", "trust"),
        ("/api/v1/trusts/?trust_type=", "trust_type"),
        ("/api/v1/schools/?bbox=", "bbox"),
        ("/api/v1/partnerships/?focus=", "focus"),
        ("/api/v1/partnerships/?kind=,", "kind"),
        ("/api/v1/trusts/?partnership_role=maybe", "partnership_role"),
        ("/api/v1/trusts/?partnership_role=", "partnership_role"),
        ("/api/v1/partnerships/?bbox=", "bbox"),
        ("/api/v1/local-authorities/E08000019/similar/?n=", "n"),
    ],
)
def test_numbers_are_ascii_and_typed_values_are_not_empty(client, partnerships, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    assert parameter in response.json(), response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/?page=1",
        "/api/v1/schools/?page=1&page_size=2",
        "/api/v1/schools/?page_size=100000",  # more than the most: the most
        "/api/v1/schools/?trust=9001",
        "/api/v1/schools/?bbox=-0.1,51.4,0.2,51.55",
        "/api/v1/schools/?bbox=-1,51,1,52",
        "/api/v1/partnerships/?format=geojson",
        "/api/v1/local-authorities/E08000019/similar/?n=5",
    ],
)
def test_ascii_numbers_are_still_read(client, partnerships, register, indicators, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/schools/%D9%A1%D9%A0%D9%A0%D9%A1%D9%A1%D9%A8/",  # 100118 in Arabic-Indic digits
        "/api/v1/schools/%EF%BC%91%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%91%EF%BC%98/",  # full-width
        "/api/v1/trusts/%EF%BC%99%EF%BC%90%EF%BC%90%EF%BC%91/",  # 9001, full-width
    ],
)
def test_identifiers_in_other_digits_name_nothing(client, register, url):
    assert client.get(url).status_code == 404
    ascii_url = "".join(str(int(ch)) if ch.isdigit() else ch for ch in unquote(url))
    assert client.get(ascii_url).status_code == 200  # the same identifier in ASCII digits
