"""Asking for an API key: a public form, limited per client as suggestions are; a moderator
issues the key (emailed once through the outbox, then erased, never shown) or declines."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from partnerships import api_keys, retention
from partnerships.models import ApiKeyRequest, OutboxMessage
from partnerships.notifications import SECRET_ERASED, send_due_messages

pytestmark = pytest.mark.django_db

REQUEST = {
    "submitter_name": "Robin Researcher",
    "submitter_organisation": "Example University (test)",
    "submitter_email": "robin@example.org",
    "intended_use": "A dashboard of partnerships by region, about 2,000 requests a day.",
}


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def decide_url(key_request):
    return f"/admin/partnerships/apikeyrequest/{key_request.pk}/change/"


def test_the_api_page_links_to_the_form(client):
    html = client.get("/data/api/").content.decode()
    assert 'href="/data/api/key/"' in html
    assert "/suggest/" not in html


def test_a_request_is_saved_and_acknowledged(client, moderator):
    response = client.post("/data/api/key/", REQUEST)
    assert response.status_code == 302 and response.url == "/data/api/key/requested/"
    page = client.get(response.url).content.decode()
    assert "What happens next" in page and "Robin" not in page
    key_request = ApiKeyRequest.objects.get()
    assert key_request.status == "pending" and key_request.client_fingerprint
    assert sorted(m.to for m in OutboxMessage.objects.all()) == [
        "moderator@example.org",
        "robin@example.org",
    ]
    assert not APIKey.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"submitter_name": ""}, "Enter your name"),
        ({"submitter_email": "robin@"}, "Enter an email address in the correct format"),
        ({"submitter_email": "a@example.org, b@example.org"}, "email"),
        ({"intended_use": ""}, "Say what you will use the API for"),
        ({"intended_use": "data"}, "10 characters or more"),
        ({"intended_use": "x" * 2001}, "must be 2000 characters or fewer"),
        ({"submitter_organisation": "x" * 201}, "must be 200 characters or fewer"),
    ],
)
def test_bad_requests_get_specific_errors(client, change, message):
    response = client.post("/data/api/key/", {**REQUEST, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiKeyRequest.objects.exists()


def test_a_bot_filling_the_hidden_field_is_kept_as_spam_without_emails(client):
    client.post("/data/api/key/", {**REQUEST, "fax_number": "0123"})
    assert ApiKeyRequest.objects.get().status == "spam"
    assert not OutboxMessage.objects.exists()


def test_requests_are_limited_per_client_and_the_form_kept(client, settings):
    settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR = 1
    assert client.post("/data/api/key/", REQUEST).status_code == 302
    refused = client.post("/data/api/key/", {**REQUEST, "submitter_email": "other@example.org"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "1 request in the last hour" in html and 'value="other@example.org"' in html
    assert "about 2,000 requests a day" in html
    assert ApiKeyRequest.objects.count() == 1


def test_requests_are_limited_per_email(client, settings):
    settings.SUGGESTIONS_PER_EMAIL_PER_HOUR = 1
    client.post("/data/api/key/", REQUEST)
    refused = client.post("/data/api/key/", REQUEST, REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429
    assert "robin@example.org has sent 1 request" in refused.content.decode()


def test_issuing_sends_the_key_once_and_keeps_it_nowhere(client, moderator_client, moderator):
    client.post("/data/api/key/", REQUEST)
    key_request = ApiKeyRequest.objects.get()
    page = moderator_client.get(decide_url(key_request)).content.decode()
    assert "about 2,000 requests a day" in page and "robin@example.org" in page

    moderator_client.post(decide_url(key_request), {"action": "issue"})
    key_request.refresh_from_db()
    assert key_request.status == "issued" and key_request.decided_by == moderator
    message = OutboxMessage.objects.get(secret=True)
    assert message.to == "robin@example.org"
    key = re.search(r"Api-Key (\S+)", message.body).group(1)
    assert APIKey.objects.get_from_key(key) == key_request.api_key
    assert (
        key
        not in moderator_client.get(
            f"/admin/partnerships/outboxmessage/{message.pk}/change/"
        ).content.decode()
    )

    send_due_messages()
    sent = [m for m in mail.outbox if m.to == ["robin@example.org"] and key in m.body]
    assert len(sent) == 1
    message.refresh_from_db()
    assert message.body == SECRET_ERASED and key not in message.body
    assert key not in moderator_client.get(decide_url(key_request)).content.decode()
    # The key works against the API.
    api = client.get("/api/v1/partnerships/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert api.status_code == 200
    # Decided once: issuing again makes no second key.
    moderator_client.post(decide_url(key_request), {"action": "issue"})
    assert APIKey.objects.count() == 1


def test_declining_needs_a_reason_and_sends_it(client, moderator_client):
    client.post("/data/api/key/", REQUEST)
    key_request = ApiKeyRequest.objects.get()
    moderator_client.post(decide_url(key_request), {"action": "decline", "reason": " "})
    key_request.refresh_from_db()
    assert key_request.status == "pending"
    moderator_client.post(
        decide_url(key_request), {"action": "decline", "reason": "The API's open rate is enough."}
    )
    key_request.refresh_from_db()
    assert key_request.status == "declined" and not APIKey.objects.exists()
    declined = OutboxMessage.objects.get(subject="Your request for an API key")
    assert "The API's open rate is enough." in declined.body


def test_staff_outside_the_moderators_cannot_issue(client, django_user_model):
    client.post("/data/api/key/", REQUEST)
    user = django_user_model.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    key_request = ApiKeyRequest.objects.get()
    assert client.post(decide_url(key_request), {"action": "issue"}).status_code == 403
    assert not APIKey.objects.exists()


def test_requesters_details_are_erased_after_the_retention_period(client, moderator, settings):
    client.post("/data/api/key/", REQUEST)
    key_request = ApiKeyRequest.objects.get()
    api_keys.issue_key(key_request.pk, moderator)
    later = timezone.now() + timedelta(days=settings.SUGGESTION_RETENTION_DAYS + 1)
    retention.erase_expired_personal_data(now=later)
    key_request.refresh_from_db()
    assert key_request.personal_data_erased_at and not key_request.submitter_email
    assert key_request.submitter_name == "" and key_request.api_key is not None
    assert not OutboxMessage.objects.filter(api_key_request=key_request).exclude(body="").exists()
