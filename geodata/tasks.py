from celery import shared_task

from geodata.importers.gias_download import DownloadFailed, refresh_from_gias


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
    """Keep the school register fresh from GIAS. Two refreshes never overlap: the import's
    per-source lock (`recorded_run`) refuses the second, and records it."""
    run = refresh_from_gias(triggered_by=f"celery refresh_schools ({self.request.id})")
    return {"status": run.status, "import_run": run.pk, "message": run.message}
