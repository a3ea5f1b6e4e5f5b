"""Finding and downloading the newest GIAS extract.

GIAS publishes date-stamped files and answers a date it has no file for with an HTML
page (status 200), so each candidate is checked by content, trying today then earlier
days. Downloads stream to disk with timeouts, and a body shorter than announced is an
error, never an import.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import requests
from django.conf import settings
from django.utils import timezone

from geodata.import_runs import readable
from geodata.importers.register_files import HTML_START
from geodata.models import ImportRun

CHUNK = 1 << 16


class ExtractNotFound(Exception):
    """No extract was published in the days tried (permanent for this attempt)."""


class DownloadFailed(Exception):
    """The server or network failed; worth retrying later."""


def extract_url(kind, day):
    return f"{settings.GIAS_BASE_URL.rstrip('/')}/{kind}{day:%Y%m%d}.csv"


def download(url, folder):
    """Download `url` into `folder`; None when the server has no such file."""
    timeout = (settings.GIAS_CONNECT_TIMEOUT, settings.GIAS_READ_TIMEOUT)
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
            if response.status_code == 404:
                return None
            response.raise_for_status()
            chunks = response.iter_content(CHUNK)
            first = next(chunks, b"")
            if "html" in response.headers.get("Content-Type", "") or HTML_START.match(first):
                return None
            path = Path(folder) / url.rsplit("/", 1)[-1]
            with open(path, "wb") as handle:
                handle.write(first)
                for chunk in chunks:
                    handle.write(chunk)
    except requests.HTTPError as error:
        raise DownloadFailed(f"{url}: HTTP {error.response.status_code}") from error
    except requests.RequestException as error:
        # Timeouts, refused connections and bodies shorter than their Content-Length.
        raise DownloadFailed(f"{url}: {type(error).__name__}: {error}") from error
    return path


def find_latest_extract(folder, kind="edubasealldata", today=None, days=None):
    """Download the newest extract of `kind`, trying today and then earlier days."""
    today = today or timezone.localdate()
    days = days or settings.GIAS_DAYS_TO_TRY
    for back in range(days):
        url = extract_url(kind, today - timedelta(days=back))
        path = download(url, folder)
        if path:
            return url, path
    raise ExtractNotFound(f"no {kind} extract published in the {days} days up to {today}")


def record_failed_attempt(
    location, error, triggered_by, source=ImportRun.Source.GIAS_ESTABLISHMENTS
):
    return ImportRun.objects.create(
        source=source,
        location=readable(location),
        triggered_by=readable(triggered_by, 100),
        status=ImportRun.Status.FAILED,
        message=readable(f"Download failed, nothing changed: {error}"),
        finished_at=timezone.now(),
    )


def refresh_from_gias(triggered_by, today=None, force=False):
    """Download and import the newest establishments extract and its links file.

    Returns the establishments ImportRun. Download failures are recorded as failed runs
    and raised again, so a scheduler can retry them.
    """
    from geodata.importers.gias import import_gias_file
    from geodata.importers.gias_links import import_links_file

    with tempfile.TemporaryDirectory(prefix="gias-") as folder:
        try:
            url, path = find_latest_extract(folder, today=today)
        except (ExtractNotFound, DownloadFailed) as error:
            record_failed_attempt(settings.GIAS_BASE_URL, error, triggered_by)
            raise
        run = import_gias_file(path, location=url, force=force, triggered_by=triggered_by)
        path.unlink()
        if run.status == ImportRun.Status.SUCCEEDED:
            links_url = url.replace("/edubasealldata", "/links_edubasealldata")
            try:
                links_path = download(links_url, folder)
            except DownloadFailed as error:
                record_failed_attempt(links_url, error, triggered_by, ImportRun.Source.GIAS_LINKS)
            else:
                if links_path:
                    import_links_file(links_path, location=links_url, triggered_by=triggered_by)
    return run
