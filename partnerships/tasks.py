import logging

from celery import shared_task

from partnerships.notifications import send_due_messages
from partnerships.retention import erase_expired_personal_data

logger = logging.getLogger(__name__)


@shared_task(time_limit=300)
def send_outbox():
    """Send the emails waiting in the outbox (runs after each submission and every minute)."""
    return send_due_messages()


def send_outbox_soon():
    """Ask the worker to send now; if the broker is unreachable, beat will do it later."""
    try:
        send_outbox.apply_async(retry=False)
    except Exception as error:  # broker down: the messages wait in the outbox
        logger.warning("Outbox not dispatched now (%s); the periodic task will send it", error)


@shared_task(time_limit=600)
def erase_personal_data():
    """Erase submitters' personal data a set time after each decision."""
    return erase_expired_personal_data()
