"""The download path against a local HTTP server: GIAS is unreachable from here."""

import contextlib
import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from geodata.import_runs import LOCK_NAMESPACE, source_lock_key
from geodata.importers.gias_download import (
    DownloadFailed,
    ExtractNotFound,
    find_latest_extract,
    refresh_from_gias,
)
from geodata.management.commands.import_gias_links import BUNDLED as LINKS
from geodata.models import ImportRun, School, SchoolLink
from geodata.tasks import refresh_schools
from tests.geodata.gias_files import SAMPLE

pytestmark = pytest.mark.django_db

HTML = (
    b"<!DOCTYPE html>\r\n<html lang='en'><head><title>Get Information about Schools</title>"
    b"</head><body>Page not found</body></html>"
)


class FakeGias(BaseHTTPRequestHandler):
    """Serves what `self.server.files` says: {path: body or (status, body, options)}."""

    def do_GET(self):
        answer = self.server.files.get(self.path, self.server.default)
        status, body, options = answer if isinstance(answer, tuple) else (200, answer, {})
        time.sleep(options.get("delay", 0))
        self.send_response(status)
        html = body.startswith(b"<!DOCTYPE")
        self.send_header("Content-Type", "text/html" if html else "text/csv")
        self.send_header("Content-Length", str(options.get("length", len(body))))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)
        self.server.requests.append(self.path)

    def log_message(self, *args):
        pass


@pytest.fixture
def gias(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGias)
    server.daemon_threads = True
    server.files, server.default, server.requests = {}, HTML, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GIAS_BASE_URL = f"http://127.0.0.1:{server.server_port}/edubase/"
    settings.GIAS_DAYS_TO_TRY = 3
    settings.GIAS_READ_TIMEOUT = 0.5
    yield server
    server.shutdown()
    server.server_close()


def publish(server, day, body=None, links=True):
    server.files[f"/edubase/edubasealldata{day:%Y%m%d}.csv"] = body or SAMPLE.read_bytes()
    if links:
        server.files[f"/edubase/links_edubasealldata{day:%Y%m%d}.csv"] = LINKS.read_bytes()


def test_newest_extract_is_found_by_trying_earlier_days(gias, tmp_path):
    publish(gias, datetime.date(2025, 11, 24))
    url, path = find_latest_extract(tmp_path, today=datetime.date(2025, 11, 25))
    assert url.endswith("/edubasealldata20251124.csv")
    assert path.read_bytes() == SAMPLE.read_bytes()
    assert gias.requests == ["/edubase/edubasealldata20251125.csv", url[url.index("/edubase") :]]


def test_html_pages_and_404s_mean_no_extract(gias, tmp_path):
    gias.files["/edubase/edubasealldata20251125.csv"] = (404, b"Not found", {})
    with pytest.raises(ExtractNotFound, match="no edubasealldata extract published in the 3 days"):
        find_latest_extract(tmp_path, today=datetime.date(2025, 11, 25))
    assert len(gias.requests) == 3


def test_a_timeout_is_a_download_failure(gias, tmp_path):
    publish(gias, datetime.date(2025, 11, 25))
    path = "/edubase/edubasealldata20251125.csv"
    gias.files[path] = (200, gias.files[path], {"delay": 2})
    with pytest.raises(DownloadFailed, match="Timeout"):
        find_latest_extract(tmp_path, today=datetime.date(2025, 11, 25))


def test_a_body_shorter_than_announced_is_a_download_failure(gias, tmp_path):
    body = SAMPLE.read_bytes()
    gias.files["/edubase/edubasealldata20251125.csv"] = (
        200,
        body[: len(body) // 2],
        {"length": len(body)},
    )
    with pytest.raises(DownloadFailed):
        find_latest_extract(tmp_path, today=datetime.date(2025, 11, 25))


def test_a_server_error_is_a_download_failure(gias, tmp_path):
    gias.files["/edubase/edubasealldata20251125.csv"] = (503, b"busy", {})
    with pytest.raises(DownloadFailed, match="HTTP 503"):
        find_latest_extract(tmp_path, today=datetime.date(2025, 11, 25))


def test_refresh_imports_the_extract_and_its_links(gias, boundaries):
    publish(gias, datetime.date(2025, 11, 24))
    run = refresh_from_gias("test", today=datetime.date(2025, 11, 25))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.location.endswith("/edubase/edubasealldata20251124.csv")
    assert run.extract_date == datetime.date(2025, 11, 24)
    assert School.objects.count() == 10
    assert SchoolLink.objects.count() == 34044


def test_a_failed_download_is_recorded_and_changes_nothing(gias, boundaries):
    gias.files["/edubase/edubasealldata20251125.csv"] = (503, b"busy", {})
    with pytest.raises(DownloadFailed):
        refresh_from_gias("test", today=datetime.date(2025, 11, 25))
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert run.status == ImportRun.Status.FAILED
    assert "HTTP 503" in run.message
    assert not School.objects.exists()


def test_a_bad_download_never_damages_the_register(gias, boundaries):
    publish(gias, datetime.date(2025, 11, 24))
    refresh_from_gias("test", today=datetime.date(2025, 11, 24))
    header_only = SAMPLE.read_bytes().split(b"\r\n")[0] + b"\r\n"
    publish(gias, datetime.date(2025, 11, 25), body=header_only, links=False)
    run = refresh_from_gias("test", today=datetime.date(2025, 11, 25))
    assert run.status == ImportRun.Status.REFUSED
    assert School.objects.count() == 10


GIAS = ImportRun.Source.GIAS_ESTABLISHMENTS


def lock_is_free(session):
    """Whether another process could take the GIAS import's lock now (`recorded_run`'s)."""
    key = [LOCK_NAMESPACE, source_lock_key(GIAS)]
    if not session.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]:
        return False
    session.execute("SELECT pg_advisory_unlock(%s, %s)", key)
    return True


def test_the_task_refreshes_from_the_newest_extract(gias, boundaries, other_session):
    publish(gias, timezone.localdate() - datetime.timedelta(days=1))
    result = refresh_schools.apply()
    assert result.successful(), result.traceback
    assert result.result["status"] == "succeeded"
    assert School.objects.count() == 10
    assert lock_is_free(other_session)


def test_only_one_refresh_runs_at_a_time(gias, boundaries, other_session):
    publish(gias, timezone.localdate())
    other_session.execute(
        "SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_lock_key(GIAS)]
    )
    result = refresh_schools.apply()
    assert result.result["status"] == ImportRun.Status.REFUSED
    run = ImportRun.objects.get(pk=result.result["import_run"])
    assert run.status == ImportRun.Status.REFUSED
    assert "another GIAS establishments (edubasealldata) import is running" in run.message
    assert not School.objects.exists()


def test_the_task_retries_a_failing_download_and_records_every_attempt(
    gias, boundaries, other_session
):
    gias.default = (503, b"busy", {})
    result = refresh_schools.apply()
    assert not result.successful()
    attempts = ImportRun.objects.filter(status=ImportRun.Status.FAILED)
    assert attempts.count() == refresh_schools.max_retries + 1
    assert lock_is_free(other_session)


def test_command_downloads_a_url(gias, boundaries):
    publish(gias, datetime.date(2025, 11, 24))
    call_command("import_gias", gias_url(gias, "edubasealldata20251124.csv"))
    assert School.objects.count() == 10
    with pytest.raises(CommandError, match="the server has no such file"):
        call_command("import_gias", gias_url(gias, "edubasealldata20251125.csv"))
    assert ImportRun.objects.filter(status=ImportRun.Status.FAILED).count() == 1


def gias_url(server, name):
    return f"http://127.0.0.1:{server.server_port}/edubase/{name}"
