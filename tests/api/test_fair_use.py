import pytest
from rest_framework_api_key.models import APIKey

pytestmark = pytest.mark.django_db
URL = "/api/v1/local-authorities/"


@pytest.fixture
def low_rates(rate_limits):
    rate_limits(anon="3/min", api_key="5/min")


def test_anonymous_clients_are_throttled_and_told_when_to_retry(client, boundaries, low_rates):
    for _ in range(3):
        assert client.get(URL).status_code == 200
    response = client.get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled. Expected available in")


def test_an_api_key_gets_its_own_higher_limit(client, boundaries, low_rates):
    _, key = APIKey.objects.create_key(name="Research partner")
    for _ in range(3):
        client.get(URL)
    assert client.get(URL).status_code == 429
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    for _ in range(5):
        assert client.get(URL, **headers).status_code == 200
    assert client.get(URL, **headers).status_code == 429
    assert client.get(URL, HTTP_X_API_KEY=key).status_code == 429  # same key, other header


def test_a_revoked_or_unknown_key_is_refused_clearly(client, boundaries):
    api_key, key = APIKey.objects.create_key(name="Old partner")
    api_key.revoked = True
    api_key.save()
    for header in [f"Api-Key {key}", "Api-Key not.a-key"]:
        response = client.get(URL, HTTP_AUTHORIZATION=header)
        assert response.status_code in (401, 403)
        assert response.json() == {"detail": "This API key is not valid, or has been revoked."}


def test_keys_are_issued_and_revoked_in_the_admin(admin_client):
    response = admin_client.get("/admin/rest_framework_api_key/apikey/add/")
    assert response.status_code == 200


def test_throttling_fails_open_when_redis_is_down(client, boundaries, low_rates, settings):
    import redis
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "throttle": {**settings.CACHES["throttle"], "LOCATION": "redis://127.0.0.1:1/1"},
    }
    with pytest.raises(redis.ConnectionError):
        caches["throttle"].get("anything")
    for _ in range(5):
        assert client.get(URL).status_code == 200


def test_each_client_costs_one_counter_per_window_whatever_the_rate(client, boundaries, low_rates):
    """A counter, not a list of every request's time re-written on each request."""
    from django.core.cache import caches

    from api_core.redis_clients import redis_client

    for _ in range(3):
        client.get(URL)
    redis = redis_client(caches["throttle"])
    keys = redis.keys("*anon*")
    assert len(keys) == 1
    assert int(redis.get(keys[0])) == 3
    assert 0 < redis.ttl(keys[0]) <= 61


@pytest.mark.parametrize(
    "path, counted",
    [
        ("/api/v1/partnerships/", True),
        ("/api/v1/local-authorities/E08000019/similar/", True),
        ("/data/partnerships.csv", True),
        ("/", False),
    ],
)
def test_kept_answers_are_counted_as_the_view_that_made_them_counts(
    client, partnerships, indicators, rate_limits, path, counted
):
    """A repeat answered before routing passes DRF's throttle check of the view that made
    it: the API and the downloads are counted, pages are not."""
    rate_limits(anon="2/min")
    first, kept, third = (client.get(path) for _ in range(3))
    assert first.status_code == kept.status_code == 200
    assert kept.content == first.content
    assert third.status_code == (429 if counted else 200)
    if counted:
        assert third.json()["detail"].startswith("Request was throttled")
        assert 0 < int(third["Retry-After"]) <= 60


def test_a_partners_repeat_request_costs_no_key_check(
    client, boundaries, django_assert_num_queries
):
    """A key is checked (a query and a deliberately slow hash) once every few seconds per
    process, not on every request: a partner is answered as fast as anyone."""
    _, key = APIKey.objects.create_key(name="Research partner")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    first = client.get(URL, **headers)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the data version only
        again = client.get(URL, **headers)
    assert again.status_code == 200 and again.content == first.content
    assert client.get(URL, HTTP_AUTHORIZATION="Api-Key not.a-key").status_code == 401


def test_a_key_revoked_elsewhere_stops_working_within_seconds(client, boundaries, settings):
    import time

    settings.API_KEY_TRUST_SECONDS = 0.5
    api_key, key = APIKey.objects.create_key(name="Partner")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    assert client.get(URL, **headers).status_code == 200
    APIKey.objects.filter(pk=api_key.pk).update(revoked=True)  # as another process does
    time.sleep(0.6)
    assert client.get(URL, **headers).status_code == 401
    assert client.get(URL + "?page=1", **headers).status_code == 401


def test_a_key_revoked_in_the_admin_stops_working_at_once(admin_client, client, boundaries):
    api_key, key = APIKey.objects.create_key(name="Partner")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    assert client.get(URL, **headers).status_code == 200
    response = admin_client.post(
        f"/admin/rest_framework_api_key/apikey/{api_key.pk}/change/",
        {"name": "Partner", "revoked": "on", "expiry_date_0": "", "expiry_date_1": ""},
    )
    assert response.status_code == 302
    assert APIKey.objects.get(pk=api_key.pk).revoked
    assert client.get(URL, **headers).status_code == 401
