from celery import shared_task

from partnerships.alerts import forget_unconfirmed, send_digests
from partnerships.link_health import check_cited_links

# The outbox task is defined beside the outbox; named here for the worker's discovery.
from partnerships.notifications import send_outbox  # noqa: F401
from partnerships.retention import erase_expired_personal_data, erase_finished_contact_addresses


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
    return send_digests()


@shared_task(time_limit=300)
def forget_unconfirmed_subscriptions():
    """Delete the addresses never confirmed within a week (daily)."""
    return forget_unconfirmed()
