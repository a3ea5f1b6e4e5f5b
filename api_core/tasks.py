from celery import shared_task

from api_core.kept_answers import rebuild_shared


@shared_task(time_limit=900)
def rebuild_kept_answers():
    """After a change of data, build every shared answer of the new data version (asked for
    by the first request that meets the change), so no visitor waits for it."""
    return rebuild_shared()
