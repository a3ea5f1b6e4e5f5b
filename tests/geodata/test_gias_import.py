import csv
import datetime
import gzip
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from geodata.importers.gias import import_gias_file
from geodata.models import ImportRun, LocalAuthority, School, Trust
from tests.geodata.gias_files import SAMPLE, edited_extract, read_sample, write_extract
from tests.geodata.snapshots import register_snapshot

pytestmark = pytest.mark.django_db


def test_the_real_format_imports_with_counts_and_rejections(register):
    assert (register.rows_read, register.created, register.rejected) == (12, 10, 2)
    assert register.extract_date == datetime.date(2025, 11, 24)
    assert register.checksum and register.finished_at
    assert register.errors == [
        {
            "line": 7,
            "urn": "112236",
            "error": "LA code 909 is a former code now split between authorities, and the "
            "school's location does not say which",
        },
        {
            "line": 13,
            "urn": "100021",
            "error": "unknown LA code '663' (not an English LA with education duties)",
        },
    ]
    assert "10 created" in register.message and "2 rejected" in register.message


def test_school_fields_are_parsed_from_windows_1252_csv(register):
    ecole = School.objects.get(urn=100371)
    assert ecole.name == "Ecole Française de Londres Jacques Prévert"
    assert ecole.local_authority.name == "Hammersmith and Fulham"
    assert ecole.type_group == "Independent schools"
    assert ecole.religious_character == ""  # "Does not apply"
    assert ecole.diocese == ""  # "Not applicable"
    assert School.objects.get(urn=148322).name == "North Star 240°"
    becket = School.objects.get(urn=138950)
    assert becket.name == "St Thomas à Becket Catholic Secondary School, A Voluntary Academy"
    assert becket.percentage_fsm == Decimal("23.4")
    assert (becket.statutory_low_age, becket.statutory_high_age) == (11, 16)
    assert becket.phase == "Secondary" and becket.establishment_type == "Academy converter"
    closed = School.objects.get(urn=132837)
    assert closed.status == "Closed" and not closed.is_open
    assert closed.close_date == datetime.date(2016, 10, 31)
    assert closed.first_seen == closed.last_seen == datetime.date(2025, 11, 24)


def test_british_national_grid_is_converted_to_points_inside_the_la(register):
    for school in School.objects.exclude(location=None).select_related("local_authority"):
        assert school.local_authority.boundary.contains(school.location), school
    assert School.objects.get(urn=137358).location.y == pytest.approx(52.66, abs=0.1)


def test_a_former_la_code_is_resolved_by_location(register):
    kendal = School.objects.get(urn=112091)
    assert kendal.register_la_code == "909"
    assert kendal.local_authority.name == "Westmorland and Furness"


def test_trusts_and_their_footprint_come_from_the_schools(register):
    trust = Trust.objects.get(uid=9001)
    assert trust.name == "Example Multi-Academy Trust 1"
    assert trust.trust_type == Trust.Type.MULTI_ACADEMY
    assert sorted(trust.open_schools().values_list("urn", flat=True)) == [138950, 143599, 148322]
    footprint = {la.name: la.school_count for la in trust.footprint()}
    assert footprint == {"Greenwich": 1, "Wakefield": 1, "Bristol, City of": 1}


def test_importing_the_same_file_again_writes_nothing(register):
    before = register_snapshot()
    again = import_gias_file(SAMPLE)
    assert again.status == ImportRun.Status.SUCCEEDED
    assert (again.created, again.updated, again.unchanged, again.missing) == (0, 0, 10, 0)
    assert register_snapshot() == before


def test_a_newer_extract_updates_changed_rows_and_counts_closures(register, tmp_path):
    def edit(rows):
        for row in rows:
            if row["URN"] == "137358":
                row["EstablishmentStatus (code)"] = "2"
                row["EstablishmentStatus (name)"] = "Closed"
                row["CloseDate"] = "31-08-2025"
            if row["URN"] == "136671":
                row["NumberOfPupils"] = "1012"
        return rows

    run = import_gias_file(edited_extract(tmp_path, "edubasealldata20251125.csv", edit))
    assert (run.created, run.updated, run.closed, run.unchanged) == (0, 2, 1, 8)
    assert School.objects.get(urn=136671).number_of_pupils == 1012
    assert School.objects.get(urn=137358).close_date == datetime.date(2025, 8, 31)
    assert set(School.objects.values_list("last_seen", flat=True)) == {datetime.date(2025, 11, 25)}
    assert School.objects.get(urn=137358).first_seen == datetime.date(2025, 11, 24)


def test_a_school_missing_from_an_extract_is_kept_and_recorded(register, tmp_path):
    def without_rutland(rows):
        return [row for row in rows if row["URN"] != "137358"]

    run = import_gias_file(edited_extract(tmp_path, "edubasealldata20251125.csv", without_rutland))
    assert run.missing == 1
    school = School.objects.get(urn=137358)
    assert school.missing_since == datetime.date(2025, 11, 25)
    assert school.last_seen == datetime.date(2025, 11, 24)

    run = import_gias_file(edited_extract(tmp_path, "edubasealldata20251126.csv"))
    assert run.missing == 0
    school.refresh_from_db()
    assert school.missing_since is None and school.last_seen == datetime.date(2025, 11, 26)


def test_bad_rows_are_rejected_with_line_numbers_without_stopping(boundaries, tmp_path):
    def spoil(rows):
        rows[0]["URN"] = "14359A"
        rows[1]["OpenDate"] = "2005-09-01"
        rows[2]["Easting"], rows[2]["Northing"] = "0", "0"
        rows[3]["NumberOfPupils"] = "many"
        return rows

    path = edited_extract(tmp_path, edit=spoil)
    refused = import_gias_file(path)
    assert refused.status == ImportRun.Status.REFUSED
    assert "6 of the file's 12 rows were rejected, more than 20%" in refused.message
    assert len(refused.errors) == 6 and not School.objects.exists()
    run = import_gias_file(path, force=True)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.created == 6 and run.rejected == 6
    errors = {error["line"]: error["error"] for error in run.errors}
    assert errors[2] == "URN '14359A' is not a number"
    assert errors[3] == "'2005-09-01' is not a DD-MM-YYYY date"
    assert errors[4] == "Easting/Northing 0/0 fall outside England"
    assert errors[5] == "'many' is not a whole number"


def test_a_copy_re_encoded_as_utf8_imports_the_same(boundaries, tmp_path):
    header, rows = read_sample()
    run = import_gias_file(
        write_extract(tmp_path / "edubasealldata20251124.csv", header, rows, "utf-8")
    )
    assert run.created == 10
    assert School.objects.get(urn=148322).name == "North Star 240°"


def refused(run, snapshot, fragment):
    assert run.status == ImportRun.Status.REFUSED
    assert fragment in run.message
    assert run.message.startswith("Refused, nothing changed")
    assert register_snapshot() == snapshot
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_an_html_page_is_refused(register, tmp_path):
    before = register_snapshot()
    page = tmp_path / "edubasealldata20251125.csv"
    page.write_text("<!DOCTYPE html>\r\n<html><head><title>Get Information about Schools</title>")
    refused(import_gias_file(page), before, "HTML page, not a CSV")


def test_missing_columns_are_refused(register, tmp_path):
    before = register_snapshot()
    run = import_gias_file(edited_extract(tmp_path, drop_columns=("Easting", "Trusts (code)")))
    refused(run, before, "lacks required columns: Trusts (code), Easting")


def test_a_truncated_file_is_refused(register, tmp_path):
    before = register_snapshot()
    path = edited_extract(tmp_path, "edubasealldata20251125.csv")
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * 0.7)])
    refused(import_gias_file(path), before, "truncated")


def test_an_empty_file_is_refused(register, tmp_path):
    before = register_snapshot()
    path = tmp_path / "edubasealldata20251125.csv"
    path.write_bytes(b"")
    refused(import_gias_file(path), before, "the file is empty")


def test_far_fewer_rows_than_last_time_is_refused_unless_forced(register, tmp_path):
    # 8 rows, 7 accepted (one is rejected), against the 10 accepted last time
    path = edited_extract(tmp_path, edit=lambda rows: rows[:8])
    before = register_snapshot()
    refused(import_gias_file(path), before, "7 rows that could be imported, more than 20% fewer")
    forced = import_gias_file(path, force=True)
    assert forced.status == ImportRun.Status.SUCCEEDED and forced.forced
    assert forced.missing == 3  # the Welsh row dropped too was never stored


def test_an_older_extract_than_the_one_held_is_refused(register, tmp_path):
    before = register_snapshot()
    path = edited_extract(tmp_path, "edubasealldata20251101.csv")
    refused(import_gias_file(path), before, "older than the one already imported")


def test_without_boundaries_the_import_is_refused(db):
    run = import_gias_file(SAMPLE)
    assert run.status == ImportRun.Status.REFUSED
    assert "run load_boundaries first" in run.message


def test_command_imports_and_reports(boundaries, capsys):
    call_command("import_gias", str(SAMPLE))
    assert School.objects.count() == 10
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_gias", "/nonexistent/edubasealldata.csv")


def test_command_exits_non_zero_when_refused(register, tmp_path):
    page = tmp_path / "edubasealldata20251125.csv"
    page.write_text("<html><body>Error</body></html>")
    with pytest.raises(CommandError, match="Refused, nothing changed"):
        call_command("import_gias", str(page))


UPLOAD = "/admin/geodata/importrun/upload-gias/"


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def eager_tasks():
    """Celery tasks run where they are queued, as a worker would run them."""
    from partnerships_map.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def upload(client, path=SAMPLE, **options):
    with open(path, "rb") as handle:
        return client.post(UPLOAD, {"file": handle, **options})


def test_an_upload_is_queued_and_the_request_imports_nothing(
    admin_client,
    boundaries,
    upload_dir,
    monkeypatch,
    mocker_delay,
    django_capture_on_commit_callbacks,
):
    from geodata import tasks

    queued = []
    monkeypatch.setattr(tasks.import_stored_extract, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client)
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert response.url == f"/admin/geodata/importrun/{run.pk}/change/"
    assert run.status == ImportRun.Status.QUEUED
    assert run.location == "upload: edubasealldata20251124.csv"
    assert run.extract_date == datetime.date(2025, 11, 24)
    assert not School.objects.exists()
    [(run_id, stored)] = queued
    assert run_id == run.pk and Path(stored).parent == upload_dir
    assert Path(stored).read_bytes() == SAMPLE.read_bytes()
    page = admin_client.get(response.url).content.decode()
    assert "Waiting for a worker to take this import" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    call_command("queue_school_refresh", "--if-empty")
    assert mocker_delay == []  # an upload is on its way: no refresh queued


def test_moderator_uploads_an_extract_in_the_admin(
    admin_client, boundaries, upload_dir, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client)
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert response.url == f"/admin/geodata/importrun/{run.pk}/change/"
    page = admin_client.get(response.url).content.decode()
    assert "10 created" in page and "refresh" not in page
    assert "partnerships.receivers.follow_school_successors" in page  # its steps
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.triggered_by == "admin upload by admin"
    assert LocalAuthority.objects.get(name="Rutland").schools.count() == 1
    assert list(upload_dir.iterdir()) == []  # the stored file is removed after the import
    listed = admin_client.get("/admin/geodata/importrun/").content.decode()
    assert f"{len(run.steps)} succeeded" in listed


def test_a_queued_run_is_carried_on_once(boundaries, upload_dir, eager_tasks):
    from geodata.tasks import import_stored_extract, queue_extract_import

    stored = upload_dir / "extract.csv"
    upload_dir.mkdir()
    stored.write_bytes(SAMPLE.read_bytes())
    run = queue_extract_import(stored, name="edubasealldata20251124.csv", dry_run=True)
    result = import_stored_extract.apply(args=(run.pk, str(stored))).get()
    assert result["status"] == ImportRun.Status.DRY_RUN
    assert not stored.exists() and not School.objects.exists()
    again = import_stored_extract.apply(args=(run.pk, str(stored))).get()
    assert again == {"status": "skipped", "import_run": run.pk}


@pytest.mark.parametrize(
    "content, error",
    [
        (b"%PDF-1.7 ...", "Not imported: the file is a PDF document, not a CSV."),
        (b"name,town\r\nA,B\r\n", "Not imported: the file lacks required columns: URN"),
        (gzip.compress(SAMPLE.read_bytes()), "Not imported: the file is gzip-compressed"),
    ],
)
def test_a_bad_upload_gets_a_clear_error_and_no_run(
    admin_client, boundaries, upload_dir, tmp_path, content, error
):
    path = tmp_path / "edubasealldata20251124.csv"
    path.write_bytes(content)
    response = upload(admin_client, path)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ImportRun.objects.filter(source=ImportRun.Source.GIAS_ESTABLISHMENTS).exists()
    assert list(upload_dir.iterdir()) == []


def test_an_upload_too_big_gets_a_clear_error(admin_client, boundaries, upload_dir, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 0
    response = upload(admin_client)
    assert response.status_code == 200
    assert "more than the 0 MB accepted" in response.content.decode()
    assert not ImportRun.objects.filter(source=ImportRun.Source.GIAS_ESTABLISHMENTS).exists()


def test_an_upload_that_cannot_be_queued_says_so(
    admin_client, boundaries, upload_dir, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from geodata import tasks

    def broker_down(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_stored_extract, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client)
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert run.status == ImportRun.Status.FAILED
    assert "the import could not be queued (Error 111" in run.message
    assert list(upload_dir.iterdir()) == []
    assert "could not be queued" in admin_client.get(response.url).content.decode()


def test_upload_page_needs_permission(client, django_user_model, boundaries):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/geodata/importrun/upload-gias/").status_code == 403


FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
# GIAS text columns that reach schools.csv: (GIAS column, schools.csv column).
DOWNLOADED_TEXT = [
    ("EstablishmentName", "name"),
    ("TypeOfEstablishment (name)", "establishment_type"),
    ("EstablishmentTypeGroup (name)", "type_group"),
    ("PhaseOfEducation (name)", "phase"),
    ("EstablishmentStatus (name)", "status"),
    ("Trusts (name)", "trust_name"),
    ("Postcode", "postcode"),
    ("Town", "town"),
]


def test_every_text_cell_from_an_extract_reaches_schools_csv_neutralised(
    boundaries, tmp_path, client
):
    """A hostile extract: every downloaded text column of each open school starts with a
    formula character, each character in each column (tab and CR included, which the
    importer once stripped, turning "\\t=1+1" into "=1+1")."""
    written = {}

    def hostile(rows):
        rejected = {"112236", "100021"}  # the sample's two rows with unusable LA codes
        open_rows = [
            row
            for row in rows
            if row["EstablishmentStatus (name)"] == "Open" and row["URN"] not in rejected
        ]
        for index, row in enumerate(open_rows):
            row["Trusts (code)"] = str(9100 + index)  # its own trust, so its name is kept
            for offset, (column, _) in enumerate(DOWNLOADED_TEXT):
                row[column] = FORMULA_PREFIXES[(index + offset) % len(FORMULA_PREFIXES)] + "=1+1"
            written[row["URN"]] = row
        return rows

    run = import_gias_file(edited_extract(tmp_path, edit=hostile))
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    response = client.get("/data/schools.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    checked = set()
    for row in rows:
        if row["urn"] not in written:
            continue
        for gias_column, column in DOWNLOADED_TEXT:
            value = written[row["urn"]][gias_column]
            assert row[column] == "'" + value, (row["urn"], column, row[column])
            checked.add((value[0], column))
    # 8 open schools imported, so each prefix met each column at least once.
    assert checked == {(p, column) for p in FORMULA_PREFIXES for _, column in DOWNLOADED_TEXT}


def test_leading_whitespace_is_kept_and_trailing_padding_dropped(boundaries, tmp_path):
    def padded(rows):
        rows[0]["EstablishmentName"] = " \tLeading kept  "
        rows[0]["Town"] = "Padded town   "
        rows[0]["Diocese (name)"] = "Not applicable  "
        return rows

    run = import_gias_file(edited_extract(tmp_path, edit=padded))
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    school = School.objects.get(urn=143599)
    assert (school.name, school.town, school.diocese) == (" \tLeading kept", "Padded town", "")
