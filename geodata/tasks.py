import redis
from celery import shared_task
from django.conf import settings

from geodata.importers.gias_download import DownloadFailed, refresh_from_gias

REFRESH_LOCK = "partnerships-map:refresh-schools"


def redis_client():
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=10)


@shared_task(
    bind=True,
    autoretry_for=(DownloadFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=55 * 60,
    time_limit=60 * 60,
)
def refresh_schools(self):
    """Keep the school register fresh from GIAS; only one refresh runs at a time."""
    lock = redis_client().lock(REFRESH_LOCK, timeout=2 * 60 * 60)
    if not lock.acquire(blocking=False):
        return {"status": "skipped", "reason": "another refresh is running"}
    try:
        run = refresh_from_gias(triggered_by=f"celery refresh_schools ({self.request.id})")
        return {"status": run.status, "import_run": run.pk, "message": run.message}
    finally:
        lock.release()
