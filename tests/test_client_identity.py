"""One client identity for every limit: forwarded addresses are believed only from the
proxies TRUSTED_PROXIES names."""

import ipaddress

import pytest
from django.test import RequestFactory

from api_core.clients import client_ip, parse_trusted_proxies


def ip_of(forwarded=None, remote="203.0.113.9"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_by_default_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert ip_of("198.51.100.1") == "203.0.113.9"


def test_a_count_of_proxies_believes_exactly_that_many_hops(settings):
    settings.TRUSTED_PROXIES = 1
    assert ip_of("198.51.100.1", remote="10.0.0.2") == "198.51.100.1"
    # The client's own (spoofed) value sits further left, and is not believed.
    assert ip_of("1.2.3.4, 198.51.100.1", remote="10.0.0.2") == "198.51.100.1"
    assert ip_of(remote="10.0.0.2") == "10.0.0.2"
    settings.TRUSTED_PROXIES = 2
    assert ip_of("1.2.3.4, 198.51.100.1, 10.0.0.3", remote="10.0.0.2") == "198.51.100.1"


def test_a_list_of_proxies_skips_only_their_hops(settings):
    settings.TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.0/8, 192.0.2.1")
    assert ip_of("1.2.3.4, 198.51.100.1, 10.0.0.3", remote="192.0.2.1") == "198.51.100.1"
    # From an untrusted peer, nothing forwarded is believed.
    assert ip_of("198.51.100.1", remote="203.0.113.9") == "203.0.113.9"
    # Garbage in a hop stops the walk at the last trusted sender.
    assert ip_of("not-an-address", remote="10.0.0.2") == "10.0.0.2"


def test_trusted_proxies_setting_is_parsed_or_refused():
    assert parse_trusted_proxies("") == 0
    assert parse_trusted_proxies("2") == 2
    assert parse_trusted_proxies("10.0.0.0/8") == (ipaddress.ip_network("10.0.0.0/8"),)
    with pytest.raises(ValueError):
        parse_trusted_proxies("proxy.example.org")


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_escape_the_api_throttle(client, boundaries, rate_limits):
    rate_limits(anon="3/min")
    statuses = [
        client.get("/api/v1/local-authorities/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_api_throttle_counts_each_visitor(
    client, boundaries, monkeypatch, settings
):
    from django.core.cache import caches
    from rest_framework.throttling import SimpleRateThrottle

    settings.TRUSTED_PROXIES = 1
    caches["throttle"].clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1/min")
    url = "/api/v1/local-authorities/"
    first = client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    again = client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    caches["throttle"].clear()
    assert [first.status_code, second.status_code, again.status_code] == [200, 200, 429]
