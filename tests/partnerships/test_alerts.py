"""Email alerts: subscribe on the area, partnership and trust pages (and for everything),
double opt-in, a daily digest of approved changes through the outbox with one-click
unsubscribe headers, addresses kept only while subscribed, rate-limited like suggestions;
bad addresses, forged links and floods change nothing."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone

from partnerships import moderation
from partnerships.alerts import SUBSCRIPTIONS_PER_HOUR as RATE_LIMIT
from partnerships.alerts import UNSUBSCRIBE_SALT, forget_unconfirmed, send_digests
from partnerships.models import OutboxMessage, Partnership, Subscription, Suggestion
from partnerships.notifications import send_due_messages
from tests.factories import amendment

pytestmark = pytest.mark.django_db
ADDRESS = "reader@example.org"
SHEFFIELD = "E08000019"


def confirmation_path(address=ADDRESS):
    message = OutboxMessage.objects.filter(to=address).latest("pk")
    return re.search(r"https?://[^/\s]+(/follow/confirm/\S+/)", message.body).group(1)


def subscribed(client, query="", address=ADDRESS):
    response = client.post(f"/follow/{query}", {"email": address})
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    path = confirmation_path(address)
    assert client.get(path).status_code == 200
    done = client.post(path)
    assert done.status_code == 200 and "Your alerts are on" in done.content.decode()
    return Subscription.objects.get(email=address)


def approve_sheffield_ceased(client, moderator):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", submitter_email="someone@example.org"),
    )
    moderation.approve(Suggestion.objects.get(status="pending").pk, moderator, fields=["status"])


def test_subscribe_confirm_digest_and_unsubscribe_in_one_click(client, partnerships, moderator):
    subscription = subscribed(client, f"?area={SHEFFIELD}")
    assert (subscription.scope, subscription.local_authority.ons_code) == ("area", SHEFFIELD)
    assert send_digests() == 0  # nothing changed since the confirmation
    approve_sheffield_ceased(client, moderator)
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    digest = OutboxMessage.objects.filter(to=ADDRESS, subscription=subscription).latest("pk")
    assert "Learn Sheffield: Changed: Status" in digest.body
    assert "someone@example.org" not in digest.body  # nothing personal
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = digest.headers["List-Unsubscribe"].strip("<>")
    mail.outbox.clear()
    send_due_messages()
    [sent] = [m for m in mail.outbox if m.subject.startswith("Changes to Sheffield")]
    assert sent.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=2)) == 0  # once each
    # One click: the mail client's POST, with no CSRF token.
    path = "/" + unsubscribe_url.split("/", 3)[3]
    one_click = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "You have unsubscribed" in one_click.content.decode()
    assert not Subscription.objects.exists()
    assert not OutboxMessage.objects.filter(to=ADDRESS).exists()  # the address is gone
    assert client.post(path).status_code == 200  # again: no error


def test_each_page_offers_alerts_for_itself(client, partnerships, register):
    from geodata.models import Trust

    trust = Trust.objects.order_by("uid").first()
    pages = {
        f"/areas/{SHEFFIELD}/": f"/follow/?area={SHEFFIELD}",
        "/partnerships/learn-sheffield/": "/follow/?partnership=learn-sheffield",
        f"/trusts/{trust.uid}/": f"/follow/?trust={trust.uid}",
        "/changes/": "/follow/",
    }
    for page, follow in pages.items():
        assert f'href="{follow}"' in client.get(page).content.decode(), page
        assert client.get(follow).status_code == 200
    assert subscribed(client, f"?trust={trust.uid}").trust == trust
    assert (
        subscribed(client, "?partnership=learn-sheffield", "b@example.org").scope == "partnership"
    )
    assert subscribed(client, "", "c@example.org").scope == "everything"
    assert client.get("/follow/?area=E99999999").status_code == 404
    assert client.get("/follow/?trust=abc").status_code == 404


def test_a_trust_subscriber_hears_of_the_partnerships_naming_it(
    client, partnerships, register, moderator
):
    from geodata.models import Trust
    from partnerships.models import Membership

    trust = Trust.objects.order_by("uid").first()
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(partnership=sheffield, kind="trust", trust=trust, name=trust.name)
    subscribed(client, f"?trust={trust.uid}")
    subscribed(client, "?area=E09000024", "elsewhere@example.org")
    approve_sheffield_ceased(client, moderator)
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert OutboxMessage.objects.filter(to=ADDRESS, headers__has_key="List-Unsubscribe").exists()


def test_nothing_is_sent_before_confirmation(client, partnerships, moderator):
    client.post("/follow/", {"email": ADDRESS})
    approve_sheffield_ceased(client, moderator)
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=1)) == 0
    assert OutboxMessage.objects.filter(to=ADDRESS).count() == 1  # the confirmation only


@pytest.mark.parametrize(
    "address, message",
    [
        ("", "Enter your email address"),
        ("not an address", "Enter an email address in the correct format"),
        ("a@example.org, b@example.org", "Enter an email address in the correct format"),
    ],
)
def test_bad_addresses_get_a_clear_error(client, address, message):
    response = client.post("/follow/", {"email": address})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Subscription.objects.exists() and not OutboxMessage.objects.exists()


def test_asking_twice_sends_the_confirmation_again_and_says_the_same(client):
    first = client.post("/follow/", {"email": ADDRESS}).content.decode()
    second = client.post("/follow/", {"email": ADDRESS}).content.decode()
    assert first == second
    assert Subscription.objects.count() == 1 and OutboxMessage.objects.count() == 2
    client.post(confirmation_path())
    client.post("/follow/", {"email": ADDRESS})  # already subscribed: nothing sent
    assert OutboxMessage.objects.count() == 2


def test_a_flood_of_subscriptions_is_limited(client):
    for n in range(RATE_LIMIT):
        assert client.post("/follow/", {"email": f"r{n}@example.org"}).status_code == 200
    flood = client.post("/follow/", {"email": "one-more@example.org"})
    assert flood.status_code == 429 and flood["Retry-After"] == "3600"
    assert Subscription.objects.count() == RATE_LIMIT
    assert not Subscription.objects.filter(email="one-more@example.org").exists()
    page = flood.content.decode()  # the form again, as it was filled in, saying why
    assert 'value="one-more@example.org"' in page and "try again in an hour" in page


@pytest.mark.parametrize(
    "path",
    [
        "/follow/confirm/not-a-token/",
        "/follow/unsubscribe/not-a-token/",
        "/follow/confirm/" + signing.dumps({"id": 1, "n": "x"}, salt="another.purpose") + "/",
    ],
)
def test_forged_links_get_a_clear_page_and_change_nothing(client, path):
    client.post("/follow/", {"email": ADDRESS})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400 and "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_cannot_unsubscribe_and_expires(client):
    client.post("/follow/", {"email": ADDRESS})
    token = confirmation_path().split("/")[3]
    assert client.post(f"/follow/unsubscribe/{token}/").status_code == 400
    assert Subscription.objects.exists()
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert forget_unconfirmed() == 1
    assert not Subscription.objects.exists()
    assert not OutboxMessage.objects.exclude(to="").exists()
    gone = client.post(f"/follow/confirm/{token}/")
    assert gone.status_code == 410 and "no longer exist" in gone.content.decode()


def test_unsubscribe_links_are_signed_for_that_purpose(client):
    client.post("/follow/", {"email": ADDRESS})
    subscription = Subscription.objects.get()
    forged = signing.dumps({"id": subscription.pk, "n": "guess"}, salt=UNSUBSCRIBE_SALT)
    assert client.post(f"/follow/unsubscribe/{forged}/").status_code == 200  # gone: quietly
    assert Subscription.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_the_daily_digest_and_forgetting():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from partnerships_map.celery import app

    DatabaseScheduler(app=app, lazy=True).setup_schedule()
    digest = PeriodicTask.objects.get(name="send-alert-digests")
    assert digest.task == "partnerships.tasks.send_alert_digests"
    forget = PeriodicTask.objects.get(name="forget-unconfirmed-subscriptions")
    assert forget.task == "partnerships.tasks.forget_unconfirmed_subscriptions"
