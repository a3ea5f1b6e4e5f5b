"""Repeated wrong admin passwords lock out the account and the client (django-axes)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "the-right-passphrase"
    )


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def logged_in(client):
    return client.get("/admin/").status_code == 200


def test_the_right_password_works_before_any_failure(admin_user):
    client = Client()
    attempt(client, "editor", "the-right-passphrase")
    assert logged_in(client)


def test_an_account_is_locked_after_five_failures_even_from_other_clients(admin_user, settings):
    for n in range(5):
        attempt(Client(REMOTE_ADDR=f"198.51.100.{n}"), "editor", "guess")
    client = Client(REMOTE_ADDR="198.51.100.99")
    response = attempt(client, "editor", "the-right-passphrase")
    assert response.status_code == 429
    assert "too many" in response.content.decode().lower()
    assert not logged_in(client)


def test_a_client_is_locked_after_five_failures_whatever_the_account(admin_user):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(5):
        attempt(client, f"someone{n}", "guess")
    assert attempt(client, "editor", "the-right-passphrase").status_code == 429
    assert not logged_in(client)
    other = Client(REMOTE_ADDR="198.51.100.8")
    attempt(other, "editor", "the-right-passphrase")
    assert logged_in(other)


def test_the_lockout_ends_after_the_cool_off(admin_user, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    client = Client()
    for _ in range(5):
        attempt(client, "editor", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    attempt(client, "editor", "the-right-passphrase")
    assert logged_in(client)
