"""Email alerts: a daily digest of approved changes (the public change log, as the feeds
tell it) to everything, an area, a partnership or a trust.

Double opt-in: subscribing queues only a confirmation email, whose signed link (valid a
week) must be followed; unconfirmed subscriptions go after a week. Every digest carries a
one-click unsubscribe link (`List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058);
unsubscribing deletes the address. Subscribing is rate-limited per client like
suggestions, and says the same whatever the address, so it tells no one who subscribes.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from geodata.models import LocalAuthority, Trust
from partnerships.changelog import (
    changes_in_area,
    changes_of_partnership,
    changes_of_trust,
    public_change_log,
    record_name,
    record_url,
    summary_of,
)
from partnerships.models import OutboxMessage, Partnership, Subscription
from partnerships.notifications import queue, send_outbox_soon
from partnerships.suggestions import RATE_WINDOW, lock_client
from partnerships.validators import MAX_EMAIL_LENGTH, validate_plain_email

# Alerts a connection may ask for in RATE_WINDOW: a person follows a few places, not more.
SUBSCRIPTIONS_PER_HOUR = 5

CONFIRM_SALT = "partnerships.alerts.confirm"
UNSUBSCRIBE_SALT = "partnerships.alerts.unsubscribe"
CONFIRM_WITHIN = timedelta(days=7)
DIGEST_LENGTH = 50


class AlertLinkProblem(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind  # invalid or expired


class SubscriptionLimitReached(Exception):
    pass


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=MAX_EMAIL_LENGTH,
        validators=[validate_plain_email],
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


def subject_of(query):
    """(scope, target fields) that the subscribe page's address names: ?area=<ons code>,
    ?partnership=<slug>, ?trust=<uid>, or nothing for every change. Unknown: 404."""
    if query.get("area"):
        area = get_object_or_404(LocalAuthority.objects.current(), ons_code=query["area"])
        return Subscription.Scope.AREA, {"local_authority": area}
    if query.get("partnership"):
        partnership = get_object_or_404(Partnership.objects.published(), slug=query["partnership"])
        return Subscription.Scope.PARTNERSHIP, {"partnership": partnership}
    if query.get("trust"):
        uid = query["trust"]
        trust = get_object_or_404(Trust.objects.current(), uid=int(uid) if uid.isdigit() else -1)
        return Subscription.Scope.TRUST, {"trust": trust}
    return Subscription.Scope.EVERYTHING, {}


def over_subscription_limit(fingerprint):
    since = timezone.now() - RATE_WINDOW
    recent = Subscription.objects.filter(client_fingerprint=fingerprint, created_at__gte=since)
    return recent.count() >= SUBSCRIPTIONS_PER_HOUR


def subscribe(email, scope, target, fingerprint):
    """Save the (unconfirmed) subscription and queue its confirmation email. Asked again
    for one not yet confirmed, the confirmation is sent again; for a confirmed one,
    nothing is sent (the answer is the same, so no one learns who subscribes)."""

    with transaction.atomic():
        lock_client(fingerprint)
        if over_subscription_limit(fingerprint):
            raise SubscriptionLimitReached
        subscription = Subscription.objects.filter(email=email, scope=scope, **target).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, scope=scope, client_fingerprint=fingerprint, **target
                    )
            except IntegrityError:  # the same asked twice at once
                return None
        elif subscription.confirmed_at:
            return subscription
        else:
            Subscription.objects.filter(pk=subscription.pk).update(
                created_at=timezone.now(), client_fingerprint=fingerprint
            )
        queue(
            [email],
            f"Confirm your email alerts for {subscription.subject()}",
            "partnerships/email/alert_confirm.txt",
            {
                "subscription": subscription,
                "link": f"{settings.SITE_URL}/follow/confirm/{signed(subscription, CONFIRM_SALT)}/",
                "site_url": settings.SITE_URL,
            },
            subscription=subscription,
        )
        transaction.on_commit(send_outbox_soon)
    return subscription


def signed(subscription, salt):
    return signing.dumps({"id": subscription.pk, "n": subscription.nonce}, salt=salt)


def subscription_for(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise AlertLinkProblem("expired") from None
    except signing.BadSignature:
        raise AlertLinkProblem("invalid") from None
    if not (isinstance(data, dict) and type(data.get("id")) is int and type(data.get("n")) is str):
        raise AlertLinkProblem("invalid")
    subscription = Subscription.objects.filter(pk=data["id"], nonce=data["n"]).first()
    if subscription is None:  # unsubscribed, or never ours
        raise AlertLinkProblem("gone")
    return subscription


def confirm_subscription(token):
    subscription = subscription_for(token, CONFIRM_SALT, max_age=CONFIRM_WITHIN)
    if subscription.confirmed_at is None:
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=now, last_sent_at=now)
        subscription.confirmed_at = now
    return subscription


def unsubscribe(token):
    """Delete the subscription (its address with it); a second time is no error."""
    try:
        subscription = subscription_for(token, UNSUBSCRIBE_SALT)
    except AlertLinkProblem as problem:
        if problem.kind == "gone":
            return None
        raise
    with transaction.atomic():
        OutboxMessage.objects.filter(subscription=subscription).update(to="", body="")
        subscription.delete()
    return subscription


def unsubscribe_url(subscription):
    return f"{settings.SITE_URL}/follow/unsubscribe/{signed(subscription, UNSUBSCRIBE_SALT)}/"


def changes_for(subscription):
    entries = public_change_log()
    if subscription.scope == Subscription.Scope.AREA:
        entries = changes_in_area(entries, subscription.local_authority)
    elif subscription.scope == Subscription.Scope.PARTNERSHIP:
        entries = changes_of_partnership(entries, subscription.partnership)
    elif subscription.scope == Subscription.Scope.TRUST:
        entries = changes_of_trust(entries, subscription.trust)
    return entries.filter(changed_at__gt=subscription.last_sent_at or subscription.confirmed_at)


def send_digests(now=None):
    """Queue each confirmed subscription's digest of the changes since its last one (none
    when nothing changed); returns how many were queued."""

    now = now or timezone.now()
    queued = 0
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related(
        "local_authority", "partnership", "trust"
    )
    for subscription in subscriptions.iterator():
        with transaction.atomic():
            entries = list(changes_for(subscription).filter(changed_at__lte=now)[:DIGEST_LENGTH])
            Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
            if not entries:
                continue
            unsubscribe_link = unsubscribe_url(subscription)
            queue(
                [subscription.email],
                f"Changes to {subscription.subject()}: England's education partnerships map",
                "partnerships/email/alert_digest.txt",
                {
                    "subscription": subscription,
                    "changes": [
                        {
                            "date": entry.changed_at,
                            "record": record_name(entry),
                            "summary": summary_of(entry),
                            "url": settings.SITE_URL + record_url(entry),
                        }
                        for entry in entries
                    ],
                    "unsubscribe": unsubscribe_link,
                    "site_url": settings.SITE_URL,
                },
                subscription=subscription,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            queued += 1
    if queued:
        transaction.on_commit(send_outbox_soon)
    return queued


def forget_unconfirmed(now=None):
    """Addresses never confirmed are not kept: gone a week after they were given."""
    cutoff = (now or timezone.now()) - CONFIRM_WITHIN
    unconfirmed = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    with transaction.atomic():
        OutboxMessage.objects.filter(subscription__in=unconfirmed).update(to="", body="")
        deleted, _ = unconfirmed.delete()
    return deleted
