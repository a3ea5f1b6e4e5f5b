"""The one lifecycle every importer's run goes through, so none is lost or left "running".

    def work(run):
        ...  # read and check; then, in `with applied(run):`, write, counting into run

    run = recorded_run(ImportRun.Source.INDICATORS, work, location=path, refusals=(MyError,))

`recorded_run` writes the run before anything happens and always finishes it: succeeded
(or "dry run"), refused (an expected refusal: the message says why), or failed (anything
else, re-raised so schedulers and tracebacks still see crashes). It holds a per-source
PostgreSQL advisory lock for the whole run, so two runs of one source never overlap, and
a run still marked "running" while nobody holds that lock belongs to a process that died:
it is closed as failed when the next run (or `close_stale_runs`) finds it.

`applied(run)` is the run's transaction; in a dry run it rolls back at the end, so a dry
run does all the work and reports what it would change, and changes nothing (the idea of
MapIt's `--commit`).

What other code does because of a run (memberships following successors, indicators
derived from the register: the receivers of `geodata.signals.register_imported`) runs
after the commit as the run's *steps*, each recorded with its own outcome: the run's
status says what happened to its data, so a failed step never unsays a commit.
`follow_up(run, signal)` asks for them; `recorded_run` runs them.

Rows a file gets wrong are rejected one by one (`reject_row`): counted, the first
`MAX_RECORDED_ERRORS` kept in the run with their line and reason.
"""

import logging
import re
import zlib
from contextlib import contextmanager
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from geodata.models import ImportRun

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000
MAX_ERROR_TEXT = 300
MAX_RECORDED_ERRORS = 50
MAX_KEY = 2_147_483_647  # URNs, trust UIDs and counts are stored as PostgreSQL integers
# NUL and other control characters (PostgreSQL refuses NUL in text and JSON).
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
LOCK_NAMESPACE = 7_146_601


class RunRefused(Exception):
    """The input must not be applied; the message says why (used by importers' own errors)."""


def reject_row(run, line, error, **identity):
    """Count a row the run cannot import, and keep it (line, what names it, why) if it is
    among the first `MAX_RECORDED_ERRORS`."""
    run.rejected += 1
    if len(run.errors) < MAX_RECORDED_ERRORS:
        run.errors.append({"line": line, **identity, "error": str(error)})


def readable(value, limit=MAX_MESSAGE):
    """Text safe to store and show: control characters made visible, length bounded."""
    text = UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def readable_errors(errors):
    return [
        {
            key: readable(value, MAX_ERROR_TEXT) if isinstance(value, str) else value
            for key, value in error.items()
        }
        for error in errors
    ]


def source_lock_key(source):
    return zlib.crc32(str(source).encode()) & 0x7FFFFFFF  # a PostgreSQL int4


def try_source_lock(source):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_lock_key(source)]
        )
        return cursor.fetchone()[0]


def release_source_lock(source):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source_lock_key(source)]
        )


def close_stale_runs(source=None, *, exclude=None):
    """Mark failed the runs left "running" by a process that stopped; returns how many.

    A run is stale when nobody holds its source's lock: a live run always does.
    """
    closed = 0
    sources = [source] if source else ImportRun.Source.values
    for each in sources:
        stale = ImportRun.objects.filter(source=each, status=ImportRun.Status.RUNNING)
        if exclude is not None:
            stale = stale.exclude(pk=exclude.pk)
        if not stale.exists():
            continue
        held_here = exclude is not None and exclude.source == each
        if not held_here and not try_source_lock(each):
            continue  # a live run of this source is holding it
        try:
            closed += stale.update(
                status=ImportRun.Status.FAILED,
                finished_at=timezone.now(),
                message="Failed, nothing changed: the process running this import stopped "
                "before it finished (closed when found stale).",
            )
        finally:
            if not held_here:
                release_source_lock(each)
    return closed


def finish(run, status, message):
    run.status = status
    run.message = readable(message)
    run.errors = readable_errors(run.errors)
    run.finished_at = timezone.now()
    if status in (ImportRun.Status.REFUSED, ImportRun.Status.FAILED):
        run.created = run.updated = run.closed = run.missing = 0
    try:
        run.save()
    except Exception:  # the database itself failed: say so in the log, keep the first error
        log.exception("could not record the end of import run %s", run.pk)


def recorded_run(source, work, *, location, refusals=(), dry_run=False, queued=None, **fields):
    """Run `work(run)` as one recorded run of `source`; returns the run, finished.

    `work` sets `run.message` (and counts) for a success; exceptions in `refusals` (and
    RunRefused) end the run as refused and are not raised again; anything else ends it
    as failed and is raised again. `queued` is a run recorded earlier as queued (by
    `queue_run`), which this one carries on.
    """
    fields.update(location=readable(location), dry_run=dry_run)
    if queued is None:
        run = ImportRun.objects.create(source=source, **fields)
    else:
        run = queued
        for name, value in fields.items():
            setattr(run, name, value)
        run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
        run.save()
    run.follow_ups = []
    if not try_source_lock(source):
        finish(
            run,
            ImportRun.Status.REFUSED,
            f"Refused, nothing changed: another {run.get_source_display()} import is running; "
            "try again later",
        )
        return run
    try:
        close_stale_runs(source, exclude=run)
        work(run)
    except (RunRefused, *refusals) as error:
        finish(run, ImportRun.Status.REFUSED, f"Refused, nothing changed: {error}")
    except BaseException as error:  # crashes, Ctrl-C, Celery's time limits: never "running"
        finish(
            run,
            ImportRun.Status.FAILED,
            f"Failed, nothing changed: {type(error).__name__}: {error}",
        )
        raise
    else:
        message = run.message or "Done."
        if dry_run:
            finish(run, ImportRun.Status.DRY_RUN, f"Dry run, nothing changed. It would: {message}")
        else:
            finish(run, ImportRun.Status.SUCCEEDED, message)
            # At once when nothing encloses the run (still holding the lock), else on commit.
            for signal, kwargs in run.follow_ups:
                transaction.on_commit(partial(run_steps, run, signal, **kwargs), robust=True)
    finally:
        try:
            release_source_lock(source)
        except Exception:  # the connection is gone, and its session lock with it
            log.warning("could not release the %s import lock", source, exc_info=True)
    return run


def queue_run(source, *, location, **fields):
    """Record a run that a worker will carry on (`recorded_run(..., queued=run)`), so
    *Import runs* shows it from the moment it is asked for."""
    return ImportRun.objects.create(
        source=source, location=readable(location), status=ImportRun.Status.QUEUED, **fields
    )


def follow_up(run, signal, **kwargs):
    """Have `signal` sent (with `run`) once the run has committed; each receiver is then
    a recorded step of the run. Nothing is sent for a dry run or a run that fails."""
    run.follow_ups.append((signal, kwargs))


def run_steps(run, signal, **kwargs):
    """Send `signal` for the committed `run`, recording each receiver's outcome as a step:
    what a receiver returns (a short text) or "Done.", or the error it raised."""
    for receiver, outcome in signal.send_robust(sender=ImportRun, run=run, **kwargs):
        name = f"{receiver.__module__}.{getattr(receiver, '__qualname__', receiver)}"
        if isinstance(outcome, Exception):  # Django has logged it with its traceback
            status, message = ImportRun.Status.FAILED, f"{type(outcome).__name__}: {outcome}"
            log.error("import run %s: step %s failed: %s", run.pk, name, message)
        else:
            status = ImportRun.Status.SUCCEEDED
            message = outcome if isinstance(outcome, str) else "Done."
        run.steps.append({"name": name, "status": status, "message": readable(message)})
    ImportRun.objects.filter(pk=run.pk).update(steps=run.steps)


@contextmanager
def applied(run):
    """The run's writes, in one transaction; rolled back at the end of a dry run."""
    with transaction.atomic():
        yield
        if run.dry_run:
            transaction.set_rollback(True)


def last_success(source, exclude=None):
    """The newest succeeded run of `source` (not `exclude`): what a new file is compared with."""
    runs = ImportRun.objects.filter(source=source, status=ImportRun.Status.SUCCEEDED)
    if exclude is not None:
        runs = runs.exclude(pk=exclude.pk)
    return runs.order_by("-started_at").first()


def refuse_implausible_counts(
    run, *, force=False, max_rejected_share=0.20, max_row_drop=0.20, baseline=None
):
    """The rails every register file passes, on the rows it *accepted*: some were; not more
    than `max_rejected_share` rejected; not more than `max_row_drop` fewer accepted than the
    last successful run of the source or, when there is none, than `baseline` (a count and
    what it is, in words: the census baseline's open schools for a first GIAS import).
    `force` overrides the last two, never the first."""
    accepted = run.rows_read - run.rejected
    if not accepted:
        raise RunRefused(
            f"none of the file's {run.rows_read} rows could be imported (see the rejected rows)"
        )
    if run.rejected > run.rows_read * max_rejected_share and not force:
        raise RunRefused(
            f"{run.rejected} of the file's {run.rows_read} rows were rejected, more than "
            f"{max_rejected_share:.0%} (see the rejected rows); use --force to import the rest "
            "anyway"
        )
    previous = last_success(run.source, exclude=run)
    if previous:
        expected = previous.rows_read - previous.rejected
        compared = f"the {expected} of the last successful import"
    elif baseline:
        expected, compared = baseline
    else:
        return
    if accepted < expected * (1 - max_row_drop) and not force:
        raise RunRefused(
            f"the file has {accepted} rows that could be imported, more than "
            f"{max_row_drop:.0%} fewer than {compared}: refused as probably incomplete "
            "(use --force to import it anyway)"
        )
