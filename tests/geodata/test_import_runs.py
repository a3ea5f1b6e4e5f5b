"""One run lifecycle for every importer (issue 13 item 5): recorded whatever happens, never
left "running", bad files refused with a clear message, a dry run for each."""

import pytest
from django.core.management import CommandError, call_command

from geodata.import_runs import LOCK_NAMESPACE, readable, source_lock_key
from geodata.importers import gias, indicators
from geodata.importers.boundaries import DEFAULT_SET, load_boundary_set
from geodata.importers.gias import import_gias_file
from geodata.importers.gias_links import import_links_file
from geodata.importers.indicators import load_indicators, load_statistical_neighbours
from geodata.management.commands.import_gias_links import BUNDLED as LINKS
from geodata.models import BoundarySet, ImportRun, IndicatorValue, School, SchoolLink
from geodata.signals import register_imported
from tests.geodata.gias_files import SAMPLE

pytestmark = pytest.mark.django_db

GIAS = ImportRun.Source.GIAS_ESTABLISHMENTS


def test_stored_messages_never_carry_control_characters():
    assert readable("PK\x03\x04\x00zip") == "PK\\x03\\x04\\x00zip"
    assert len(readable("x" * 10_000)) == 2000


def test_a_crash_marks_the_run_failed_and_is_raised(boundaries, monkeypatch):
    def crash(self, cursor):
        raise RuntimeError("disk full")

    monkeypatch.setattr(gias.Importer, "write", crash)
    with pytest.raises(RuntimeError):
        import_gias_file(SAMPLE)
    run = ImportRun.objects.get(source=GIAS)
    assert run.status == ImportRun.Status.FAILED and run.finished_at
    assert run.message == "Failed, nothing changed: RuntimeError: disk full"
    assert not School.objects.exists()


def test_an_interrupted_indicators_load_is_not_left_running(boundaries, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(indicators, "upsert_values", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_indicators()
    run = ImportRun.objects.get(source=ImportRun.Source.INDICATORS)
    assert run.status == ImportRun.Status.FAILED
    assert not IndicatorValue.objects.exists()


def test_a_run_left_running_by_a_dead_process_is_closed_by_the_next(boundaries):
    stale = ImportRun.objects.create(source=GIAS, location="killed import")
    run = import_gias_file(SAMPLE)
    assert run.status == ImportRun.Status.SUCCEEDED
    stale.refresh_from_db()
    assert stale.status == ImportRun.Status.FAILED and stale.finished_at
    assert "stopped before it finished" in stale.message


def test_a_stale_run_does_not_block_the_first_refresh(boundaries, mocker_delay):
    ImportRun.objects.create(source=GIAS, location="killed import")
    call_command("queue_school_refresh", "--if-empty")
    assert mocker_delay == [()]
    assert not ImportRun.objects.filter(status=ImportRun.Status.RUNNING).exists()


def test_a_live_run_is_neither_closed_nor_overlapped(boundaries, other_session):
    live = ImportRun.objects.create(source=GIAS, location="running elsewhere")
    other_session.execute(
        "SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_lock_key(GIAS)]
    )
    run = import_gias_file(SAMPLE)
    assert run.status == ImportRun.Status.REFUSED
    assert "another GIAS establishments (edubasealldata) import is running" in run.message
    live.refresh_from_db()
    assert live.status == ImportRun.Status.RUNNING
    assert not School.objects.exists()


BAD_INDICATOR_FILES = {
    "missing": None,
    "binary": b"\x00\x01\x02\xff\xfe" * 100,
    "no ons_code column": b"code,value\r\nE06000001,3\r\n",
    "not a number": b"ons_code,prifsm_2025\r\nE06000001,lots\r\n",
    "unknown LA": b"ons_code,prifsm_2025\r\nX99,1\r\n",
    "empty": b"",
}


@pytest.mark.parametrize("label", list(BAD_INDICATOR_FILES))
def test_a_bad_indicators_file_is_refused_with_a_clear_cli_message(boundaries, tmp_path, label):
    path = tmp_path / "values.csv"
    if BAD_INDICATOR_FILES[label] is not None:
        path.write_bytes(BAD_INDICATOR_FILES[label])
    with pytest.raises(CommandError, match="^Indicators: Refused, nothing changed: "):
        call_command("load_indicators", "--values", str(path))
    run = ImportRun.objects.get(source=ImportRun.Source.INDICATORS)
    assert run.status == ImportRun.Status.REFUSED and run.message.isprintable()
    assert not IndicatorValue.objects.exists()


def test_each_importer_has_a_dry_run_that_changes_nothing(db, capsys):
    call_command("load_boundaries", "--dry-run")
    assert "loaded (162 areas); switched on" in capsys.readouterr().out
    assert not BoundarySet.objects.exists()

    load_boundary_set(**DEFAULT_SET)
    call_command("load_indicators", "--dry-run")
    out = capsys.readouterr().out
    assert "Indicators: Dry run, nothing changed. It would: " in out
    assert not IndicatorValue.objects.exists()

    call_command("import_gias_links", "--dry-run")
    assert "It would: 34044 rows: 34044 links (34044 added" in capsys.readouterr().out
    assert not SchoolLink.objects.exists()

    statuses = set(ImportRun.objects.values_list("status", flat=True))
    assert statuses == {ImportRun.Status.DRY_RUN, ImportRun.Status.SUCCEEDED}
    assert ImportRun.objects.filter(dry_run=True).count() == 4


def test_dry_runs_count_what_would_change_against_what_is_stored(boundaries):
    import_links_file(LINKS)
    assert load_statistical_neighbours().status == ImportRun.Status.SUCCEEDED
    again = load_statistical_neighbours(dry_run=True)
    assert again.status == ImportRun.Status.DRY_RUN and again.unchanged == 1530
    result = load_boundary_set(**DEFAULT_SET, dry_run=True)
    assert result.run.message.endswith("already loaded, unchanged (162 areas)")


def test_a_links_file_changes_only_the_links_that_differ(boundaries, tmp_path):
    import_links_file(LINKS)
    lines = LINKS.read_bytes().split(b"\n")
    path = tmp_path / "links_edubasealldata20250728.csv"
    path.write_bytes(b"\n".join(lines[:1] + lines[2:]))  # one link fewer
    kept = set(SchoolLink.objects.values_list("pk", flat=True)[:100])
    run = import_links_file(path)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert "0 added, 0 changed, 1 removed, 34043 unchanged" in run.message
    assert SchoolLink.objects.count() == 34043
    assert kept - set(SchoolLink.objects.values_list("pk", flat=True)) <= {min(kept)}


def broken_follow_up(sender, run, **kwargs):
    raise RuntimeError("the follow-up broke")


@pytest.fixture
def failing_receiver():
    """A receiver of `register_imported` that raises, as a broken follow-up would."""
    register_imported.connect(broken_follow_up, dispatch_uid="test-broken-follow-up")
    yield
    register_imported.disconnect(dispatch_uid="test-broken-follow-up")


@pytest.mark.django_db(transaction=True)
def test_a_committed_import_whose_follow_up_fails_is_recorded_as_succeeded(
    boundaries, failing_receiver, caplog, admin_client
):
    run = import_gias_file(SAMPLE)  # autocommit: the follow-ups run during the call
    run.refresh_from_db()
    assert School.objects.count() == 10
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.message.startswith("12 rows: 10 created")
    steps = {step["name"]: step for step in run.steps}
    broken = steps["tests.geodata.test_import_runs.broken_follow_up"]
    assert broken["status"] == "failed"
    assert broken["message"] == "RuntimeError: the follow-up broke"
    others = [step for name, step in steps.items() if name != broken["name"]]
    assert others and all(step["status"] == "succeeded" for step in others)
    assert f"import run {run.pk}: step {broken['name']} failed: RuntimeError" in caplog.text
    listed = admin_client.get("/admin/geodata/importrun/").content.decode()
    assert f"1 of {len(run.steps)} failed" in listed
    page = admin_client.get(f"/admin/geodata/importrun/{run.pk}/change/").content.decode()
    assert "RuntimeError: the follow-up broke" in page


@pytest.mark.django_db(transaction=True)
def test_only_an_import_that_changes_what_is_public_moves_the_data_version(boundaries, tmp_path):
    """Read as a web process reads it (outside a transaction, told by NOTIFY): a refused
    run or a dry run (which writes, then rolls back) leaves every kept answer valid."""
    from api_core.data_version import current_data_version
    from tests.geodata.gias_files import edited_extract, hostile_contents, write_bytes

    assert import_gias_file(SAMPLE).status == ImportRun.Status.SUCCEEDED
    version = current_data_version()
    not_csv = write_bytes(tmp_path, hostile_contents()["zip renamed .csv"])
    assert import_gias_file(not_csv).status == ImportRun.Status.REFUSED
    assert current_data_version() == version
    few = edited_extract(tmp_path, name="edubasealldata20251126.csv", edit=lambda rows: rows[:4])
    refused = import_gias_file(few)
    assert refused.status == ImportRun.Status.REFUSED and "fewer than" in refused.message
    assert current_data_version() == version

    def rename(rows):
        rows[0]["EstablishmentName"] = "Renamed School"
        return rows

    renamed = edited_extract(tmp_path, edit=rename)
    dry = import_gias_file(renamed, dry_run=True)
    assert (dry.status, dry.updated) == (ImportRun.Status.DRY_RUN, 1)
    assert current_data_version() == version
    assert School.objects.get(urn=143599).name != "Renamed School"

    assert import_gias_file(renamed).status == ImportRun.Status.SUCCEEDED
    assert current_data_version() > version
