import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from geodata.import_runs import finish, queue_run, readable
from geodata.importers.gias import import_gias_file
from geodata.importers.gias_download import DownloadFailed, refresh_from_gias
from geodata.importers.register_files import extract_date_from_name
from geodata.models import ImportRun

IMPORT_TIME_LIMITS = {"soft_time_limit": 55 * 60, "time_limit": 60 * 60}


@shared_task(
    bind=True,
    autoretry_for=(DownloadFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
    **IMPORT_TIME_LIMITS,
)
def refresh_schools(self):
    """Keep the school register fresh from GIAS. Two refreshes never overlap: the import's
    per-source lock (`recorded_run`) refuses the second, and records it."""
    run = refresh_from_gias(triggered_by=f"celery refresh_schools ({self.request.id})")
    return {"status": run.status, "import_run": run.pk, "message": run.message}


@shared_task(**IMPORT_TIME_LIMITS)
def import_stored_extract(run_id, path):
    """Carry on the queued run `run_id`: import the extract stored at `path`, then remove it."""
    try:
        run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
        if run is None:  # already carried on (a task delivered twice) or gone
            return {"status": "skipped", "import_run": run_id}
        run = import_gias_file(
            path,
            location=run.location,
            force=run.forced,
            dry_run=run.dry_run,
            triggered_by=run.triggered_by,
            queued=run,
        )
        return {"status": run.status, "import_run": run.pk, "message": run.message}
    finally:
        Path(path).unlink(missing_ok=True)


def queue_extract_import(path, *, name, force=False, dry_run=False, triggered_by=""):
    """Record a queued GIAS import of the extract stored at `path` (named `name` by whoever
    sent it) and have a worker import it once this transaction commits; returns the run.

    When the queue cannot be reached the run is finished as failed at once, saying so."""
    run = queue_run(
        ImportRun.Source.GIAS_ESTABLISHMENTS,
        location=f"upload: {name}",
        extract_date=extract_date_from_name(name) or timezone.localdate(),
        forced=force,
        dry_run=dry_run,
        triggered_by=readable(triggered_by, 100),
    )

    def dispatch():
        try:
            import_stored_extract.delay(run.pk, str(path))
        except OperationalError as error:
            Path(path).unlink(missing_ok=True)
            finish(
                run,
                ImportRun.Status.FAILED,
                f"Failed, nothing changed: the import could not be queued ({error}); "
                "try again when Redis (the Celery broker) is back",
            )

    transaction.on_commit(dispatch)
    return run


def store_upload(upload):
    """Write an uploaded file where the worker will read it (`IMPORT_UPLOAD_DIR`); returns
    its path, under a name of our own."""
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gias-{uuid.uuid4().hex}.csv"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path
