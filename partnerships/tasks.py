from celery import shared_task

from partnerships.memberships import move_memberships_to_successors
from partnerships.moderation import erase_expired_personal_data
from partnerships.notifications import send_due_messages


@shared_task(time_limit=300)
def send_outbox():
    """Send the emails waiting in the outbox (runs after each submission and every minute)."""
    return send_due_messages()


@shared_task(time_limit=600)
def erase_personal_data():
    """Erase submitters' personal data a set time after each decision."""
    return erase_expired_personal_data()


@shared_task(time_limit=600)
def follow_school_successors():
    """After the daily register refresh: memberships follow schools to their new URNs."""
    return len(move_memberships_to_successors())
