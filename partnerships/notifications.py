"""Emails about suggestions, through an outbox.

Messages are rows written in the same transaction as the suggestion or decision that
causes them; `send_due_messages` sends what is waiting and is run by a Celery task right
after the commit and again every minute by beat, so a Redis or worker outage only delays
them.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from partnerships.models import OutboxMessage
from partnerships.targets import target_of
from partnerships.validators import validate_plain_email

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
SECRET_ERASED = "(Erased once sent: this message carried an API key.)"


def moderator_addresses():
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=settings.MODERATORS_GROUP)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)) | set(settings.MODERATOR_EMAILS))


def queue(recipients, subject, template, context, suggestion=None, **about):
    """One message for each recipient; returns them. `about`: what else it is about (a
    verification request, a subscription) and its `headers`."""
    body = render_to_string(template, context)
    return [
        OutboxMessage.objects.create(
            to=address, subject=subject, body=body, suggestion=suggestion, **about
        )
        for address in recipients
        if address
    ]


def queue_submission_emails(suggestion):
    context = {
        "suggestion": suggestion,
        "target": target_of(suggestion),
        "site_url": settings.SITE_URL,
    }
    queue(
        [suggestion.submitter_email],
        f"Your suggestion {suggestion.reference} has been received",
        "partnerships/email/acknowledgement.txt",
        context,
        suggestion,
    )
    queue(
        moderator_addresses(),
        f"New suggestion {suggestion.reference} to review",
        "partnerships/email/moderator_notice.txt",
        context,
        suggestion,
    )


def queue_rejection_email(suggestion):
    queue(
        [suggestion.submitter_email],
        f"Your suggestion {suggestion.reference}",
        "partnerships/email/rejection.txt",
        {"suggestion": suggestion, "site_url": settings.SITE_URL},
        suggestion,
    )


def queue_approval_email(suggestion, url):
    """Tell the submitter their suggestion was applied, and where to see it (`url`: the
    public page of what it changed, a path)."""
    queue(
        [suggestion.submitter_email],
        f"Your suggestion {suggestion.reference} has been published",
        "partnerships/email/approval.txt",
        {"suggestion": suggestion, "site_url": settings.SITE_URL, "url": url or ""},
        suggestion,
    )


def is_plain_email(address):
    """Checked again when sending, whatever wrote the message: the one address it names is
    the one recipient, or nobody is written to."""
    try:
        validate_plain_email(address)
    except ValidationError:
        return False
    return True


def send_due_messages(limit=100):
    """Send waiting messages, each in its own transaction; returns how many were sent."""
    sent = 0
    due = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    for message_id in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            if not is_plain_email(message.to):
                logger.warning("Outbox message %s not sent: not one plain address", message.pk)
                message.attempts = MAX_ATTEMPTS  # never tried again
                message.last_error = f"Not sent: “{message.to}” is not one plain email address."
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.attempts += 1
            try:
                EmailMessage(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [message.to],
                    headers=message.headers or None,
                ).send()
            except Exception as error:
                message.last_error = f"{type(error).__name__}: {error}"
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.sent_at = timezone.now()
            message.last_error = ""
            if message.secret:  # an API key: sent once, then kept nowhere
                message.body = SECRET_ERASED
            message.save(update_fields=["attempts", "last_error", "sent_at", "body"])
            sent += 1
    return sent


@shared_task(name="partnerships.tasks.send_outbox", time_limit=300)
def send_outbox():
    """Send the emails waiting in the outbox (runs after each submission and every minute)."""
    return send_due_messages()


# The longest a web request waits on each step of reaching the broker (connecting, then
# each command) to ask for its emails now: a hung Redis (one that accepts and never
# answers) would otherwise hold the visitor for the broker's socket timeout, 5 s.
DISPATCH_TIMEOUT = 0.2


def send_outbox_soon():
    """Ask the worker to send now, on a connection of its own with short timeouts (not the
    pooled one, which the worker's patience configures); if the broker is unreachable or
    slow, beat sends the messages within the minute."""
    short = {"socket_connect_timeout": DISPATCH_TIMEOUT, "socket_timeout": DISPATCH_TIMEOUT}
    try:
        with send_outbox.app.connection_for_write(
            connect_timeout=DISPATCH_TIMEOUT, transport_options=short
        ) as connection:
            send_outbox.apply_async(retry=False, connection=connection)
    except Exception as error:  # broker down or hung: the messages wait in the outbox
        logger.warning("Outbox not dispatched now (%s); the periodic task will send it", error)
