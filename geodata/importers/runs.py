"""Recording an import run: one place, so every importer's runs live the same way.

The run is written before the work starts and finished whatever happens: a file refused
by a safety check or a failure leaves its record and nothing else (the work runs in one
transaction inside the block).
"""

from contextlib import contextmanager

from django.utils import timezone

from geodata.importers.register_files import RegisterFileError, file_checksum
from geodata.models import ImportRun


@contextmanager
def recorded_run(source, path, *, location=None, triggered_by="", **fields):
    """Yield a new ImportRun for `path`; mark it succeeded, refused or failed on exit.

    The block sets the counts and `message`; a RegisterFileError refuses the run, any
    other exception fails it and is re-raised.
    """
    run = ImportRun.objects.create(
        source=source, location=str(location or path), triggered_by=triggered_by, **fields
    )
    try:
        try:
            run.checksum = file_checksum(path)
        except OSError as error:
            raise RegisterFileError(f"cannot read {path}: {error.strerror or error}") from error
        yield run
        run.status = ImportRun.Status.SUCCEEDED
    except RegisterFileError as error:
        run.status = ImportRun.Status.REFUSED
        run.message = f"Refused, nothing changed: {error}"
        run.created = run.updated = run.missing = 0
    except Exception as error:
        run.status = ImportRun.Status.FAILED
        run.message = f"Failed, nothing changed: {type(error).__name__}: {error}"
        run.created = run.updated = run.missing = 0
        run.finished_at = timezone.now()
        run.save()
        raise
    run.finished_at = timezone.now()
    run.save()


def last_success(source, exclude=None):
    runs = ImportRun.objects.filter(source=source, status=ImportRun.Status.SUCCEEDED)
    if exclude is not None:
        runs = runs.exclude(pk=exclude.pk)
    return runs.order_by("-started_at").first()
