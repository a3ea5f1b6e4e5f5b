import logging

from celery import shared_task

from partnerships.link_health import check_cited_links
from partnerships.notifications import send_due_messages
from partnerships.retention import erase_expired_personal_data, erase_finished_contact_addresses

logger = logging.getLogger(__name__)


@shared_task(time_limit=300)
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


@shared_task(time_limit=600)
def erase_personal_data():
    """Erase submitters' personal data a set time after each decision, and owners'
    contact addresses a set time after their request was answered or expired."""
    return erase_expired_personal_data() + erase_finished_contact_addresses()


@shared_task(time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60)
def check_source_links():
    """Check every cited web address and record what was found (weekly)."""
    return check_cited_links()


@shared_task(time_limit=1800)
def send_alert_digests():
    """Queue the day's digests of approved changes to confirmed subscribers (daily)."""
    from partnerships.alerts import send_digests  # it sends through this module

    return send_digests()


@shared_task(time_limit=300)
def forget_unconfirmed_subscriptions():
    """Delete the addresses never confirmed within a week (daily)."""
    from partnerships.alerts import forget_unconfirmed

    return forget_unconfirmed()
