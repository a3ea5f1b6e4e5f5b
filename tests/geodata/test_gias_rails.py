"""The GIAS import's safety rails against hostile and mistaken files (issue 13 item 4)."""

import datetime
import gzip

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from geodata.importers.census import CENSUS_FILE
from geodata.importers.gias import check_extract, import_gias_file
from geodata.importers.register_files import RegisterFileError
from geodata.models import ImportRun, School
from geodata.signals import register_imported
from tests.geodata.gias_files import SAMPLE, edited_extract, hostile_contents, write_bytes
from tests.geodata.snapshots import register_snapshot

pytestmark = pytest.mark.django_db


def in_scotland(rows):
    for row in rows:
        row["Easting"], row["Northing"] = "325900", "673900"  # Edinburgh
    return rows


@pytest.mark.parametrize("force", [False, True])
def test_a_file_whose_rows_are_all_rejected_is_refused_even_forced(register, tmp_path, force):
    before = register_snapshot()
    run = import_gias_file(edited_extract(tmp_path, edit=in_scotland), force=force)
    assert run.status == ImportRun.Status.REFUSED
    assert "none of the file's 12 rows could be imported" in run.message
    assert run.rejected == 12 and run.errors[0]["error"].endswith("fall outside England")
    assert register_snapshot() == before
    assert not School.objects.filter(missing_since__isnull=False).exists()


def test_more_than_a_fifth_of_rows_rejected_is_refused_unless_forced(register, tmp_path):
    def three_in_scotland(rows):
        in_scotland(rows[:3])
        return rows

    path = edited_extract(tmp_path, edit=three_in_scotland)
    before = register_snapshot()
    run = import_gias_file(path)
    assert run.status == ImportRun.Status.REFUSED
    assert "5 of the file's 12 rows were rejected, more than 20%" in run.message
    assert register_snapshot() == before
    assert import_gias_file(path, force=True).status == ImportRun.Status.SUCCEEDED


@pytest.mark.parametrize("force", [False, True])
def test_an_extract_dated_in_the_future_is_refused(register, tmp_path, force):
    before = register_snapshot()
    path = edited_extract(tmp_path, "edubasealldata20991231.csv")
    run = import_gias_file(path, force=force)
    assert run.status == ImportRun.Status.REFUSED
    assert "dated 2099-12-31, in the future" in run.message
    assert register_snapshot() == before


def wrongly_dated(run, day):
    """What an import of a wrongly named file left behind before the future-date rail."""
    School.objects.filter(last_seen=run.extract_date).update(first_seen=day, last_seen=day)
    ImportRun.objects.filter(pk=run.pk).update(extract_date=day)


def test_an_operator_undoes_a_wrong_extract_date_with_a_command(register, tmp_path):
    wrongly_dated(register, datetime.date(2099, 12, 31))
    today = timezone.localdate()
    todays = edited_extract(tmp_path, f"edubasealldata{today:%Y%m%d}.csv")
    assert "older than the one already imported" in import_gias_file(todays).message

    call_command("reset_extract_date")
    register.refresh_from_db()
    assert register.extract_date == today
    assert "Extract date reset from 2099-12-31" in register.message
    assert set(School.objects.values_list("last_seen", flat=True)) == {today}
    assert import_gias_file(todays).status == ImportRun.Status.SUCCEEDED


def test_a_wrong_extract_date_can_be_reset_to_a_given_day(register, tmp_path):
    wrongly_dated(register, datetime.date(2025, 11, 30))
    refused = import_gias_file(edited_extract(tmp_path, "edubasealldata20251125.csv"))
    assert refused.status == ImportRun.Status.REFUSED
    call_command("reset_extract_date", str(register.pk), "--date", "2025-11-24")
    assert set(School.objects.values_list("first_seen", flat=True)) == {datetime.date(2025, 11, 24)}
    run = import_gias_file(edited_extract(tmp_path, "edubasealldata20251125.csv"))
    assert run.status == ImportRun.Status.SUCCEEDED
    with pytest.raises(CommandError, match="in the future"):
        call_command("reset_extract_date", str(register.pk), "--date", "2099-01-01")


def test_the_admin_resets_a_wrong_extract_date(
    admin_client, register, django_capture_on_commit_callbacks
):
    wrongly_dated(register, datetime.date(2099, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/geodata/importrun/",
            {"action": "reset_wrong_extract_date", "_selected_action": [register.pk]},
            follow=True,
        )
    assert "extract date 2099-12-31 →" in response.content.decode()
    register.refresh_from_db()
    assert register.extract_date == timezone.localdate()
    # What follows the register ran again for the re-dated schools, recorded on the run.
    assert {step["status"] for step in register.steps} == {"succeeded"}
    assert "geodata.apps.derive_indicators_from_register" in {
        step["name"] for step in register.steps
    }


@pytest.mark.parametrize("label", list(hostile_contents()))
def test_a_file_that_is_not_an_extract_is_refused_cleanly(register, tmp_path, label):
    before = register_snapshot()
    path = write_bytes(tmp_path, hostile_contents()[label])
    run = import_gias_file(path)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED, run.message
    assert run.finished_at is not None
    assert run.message.startswith("Refused, nothing changed: ")
    assert run.message.isprintable() and len(run.message) < 2100
    assert register_snapshot() == before


@pytest.mark.parametrize(
    "label, fragment",
    [
        ("zip renamed .csv", "a zip archive"),
        ("UTF-16 with BOM", "UTF-16"),
        ("UTF-16 without BOM", "UTF-16"),
        ("binary garbage", "binary data"),
        ("huge header field", "field larger than field limit"),
        ("bad header quoting", "header (line 1) is not valid CSV"),
        ("a line longer than any real one", "longer than 1 MB"),
    ],
)
def test_each_refusal_says_what_the_file_is(boundaries, tmp_path, label, fragment):
    run = import_gias_file(write_bytes(tmp_path, hostile_contents()[label]))
    assert fragment in run.message


def test_the_command_refuses_a_zip_without_a_traceback(boundaries, tmp_path):
    path = write_bytes(tmp_path, hostile_contents()["zip renamed .csv"])
    with pytest.raises(CommandError, match="the file is a zip archive"):
        call_command("import_gias", str(path))


def test_duplicate_urns_are_rejected_as_rows_with_their_lines(boundaries, tmp_path):
    def repeat_one(rows):
        copy = dict(rows[0], EstablishmentName="Another name")
        return [*rows, copy]

    run = import_gias_file(edited_extract(tmp_path, edit=repeat_one), force=True)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.rejected == 4 and run.created == 9
    repeated = [error for error in run.errors if error["urn"] == "143599"]
    assert [error["line"] for error in repeated] == [2, 14]
    assert repeated[0]["error"] == "URN 143599 appears more than once in the file (lines 2, 14)"
    assert not School.objects.filter(urn=143599).exists()


def test_numbers_out_of_range_reject_the_row_not_the_import(boundaries, tmp_path):
    def spoil(rows):
        rows[0]["URN"] = "1" * 30
        rows[1]["Trusts (code)"] = "9" * 30
        rows[2]["StatutoryLowAge"] = "99999999999"
        rows[3]["PercentageFSM"] = "NaN"
        rows[4]["NumberOfPupils"] = "1" * 30
        rows[6]["Easting"], rows[6]["Northing"] = "nan", "inf"
        rows[7]["Postcode"] = "P" * 50
        return rows

    run = import_gias_file(edited_extract(tmp_path, edit=spoil), force=True)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    errors = {error["line"]: error["error"] for error in run.errors}
    assert errors[2] == f"URN {'1' * 30} is out of range"
    assert errors[3] == f"trust code {'9' * 30} is out of range"
    assert errors[4] == "99999999999 is out of range (0–99)"
    assert errors[5] == "percentage NaN is out of range (0–100)"
    assert errors[6] == f"{'1' * 30} is out of range (0–2147483647)"
    assert errors[8] == "Easting/Northing 'nan'/'inf' are not numbers"
    assert errors[9] == "postcode is longer than 10 characters"
    assert run.rejected == 9 and School.objects.count() == 3


def test_the_register_imported_signal_is_sent_after_a_change_commits(
    boundaries, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, run, **kwargs):
        received.append(run.pk)

    register_imported.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = import_gias_file(SAMPLE)
        with django_capture_on_commit_callbacks(execute=True):
            import_gias_file(SAMPLE)  # unchanged
        with django_capture_on_commit_callbacks(execute=True):
            import_gias_file(SAMPLE, dry_run=True)
    finally:
        register_imported.disconnect(listener)
    assert received == [first.pk]
    first.refresh_from_db()
    steps = {step["name"]: (step["status"], step["message"]) for step in first.steps}
    assert steps["partnerships.receivers.follow_school_successors"] == (
        "succeeded",
        "0 memberships moved to their school's successor URN.",
    )
    assert steps["geodata.apps.derive_indicators_from_register"][0] == "succeeded"


def test_a_dry_run_reports_what_would_change_and_changes_nothing(boundaries, capsys):
    call_command("import_gias", str(SAMPLE), "--dry-run")
    assert "Dry run, nothing changed. It would: 12 rows: 10 created" in capsys.readouterr().out
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert run.status == ImportRun.Status.DRY_RUN and run.dry_run and run.created == 10
    assert not School.objects.exists()
    assert ImportRun.objects.register_state()["loaded"] is None
    assert import_gias_file(SAMPLE).created == 10


def gzip_bomb(tmp_path):
    """A 200 MB extract (its header, then zeros) that gzip packs into about 200 KB."""
    path = tmp_path / "edubasealldata20251125.csv"
    with gzip.GzipFile(path, "wb", compresslevel=9) as handle:
        handle.write(SAMPLE.read_bytes().split(b"\r\n", 1)[0] + b"\r\n")
        for _ in range(200):
            handle.write(b"0" * (1 << 20))
    return path


@pytest.fixture
def never_decompressed(monkeypatch):
    from geodata.importers import register_files

    def refuse(*args, **kwargs):
        raise AssertionError("an uploaded file was decompressed")

    monkeypatch.setattr(register_files.gzip, "open", refuse)


def test_a_gzipped_extract_is_refused_without_being_decompressed(
    register, tmp_path, never_decompressed
):
    before = register_snapshot()
    path = gzip_bomb(tmp_path)
    assert path.stat().st_size < 1 << 20
    run = import_gias_file(path)
    assert run.status == ImportRun.Status.REFUSED
    assert run.message == (
        "Refused, nothing changed: the file is gzip-compressed: only a plain CSV extract is "
        "imported (decompress it first, and check what it unpacks to)"
    )
    assert register_snapshot() == before
    with pytest.raises(RegisterFileError, match="gzip-compressed"):
        check_extract(path)


def test_the_command_refuses_a_gzipped_extract(boundaries, tmp_path, never_decompressed):
    path = write_bytes(tmp_path, gzip.compress(SAMPLE.read_bytes()))
    with pytest.raises(CommandError, match="the file is gzip-compressed"):
        call_command("import_gias", str(path))
    assert not School.objects.exists()


def test_the_bundled_census_baseline_is_still_read_gzipped(boundaries):
    from geodata.importers.register_files import read_rows

    rows = read_rows(CENSUS_FILE, ["urn"], compressed=True)
    line, first = next(rows)
    rows.close()
    assert line == 2 and first["urn"].isdigit()
