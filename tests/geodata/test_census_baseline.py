import csv
import gzip
import io

import pytest
import shapely
from django.core.management import CommandError, call_command

from geodata.importers.census import CENSUS_FILE, load_census_baseline
from geodata.importers.gias import import_gias_file
from geodata.models import (
    BASELINE_TRUST_UID_START,
    CENSUS_DATE,
    ImportRun,
    LocalAuthority,
    School,
    Trust,
)
from tests.factories import CENSUS_SAMPLE
from tests.geodata.gias_files import SAMPLE, edited_extract
from tests.geodata.snapshots import register_snapshot


def sample_rows():
    with open(CENSUS_SAMPLE, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def write_rows(path, header, rows):
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_bundled_baseline_loads_every_school_and_places_cumbria_by_location(boundaries):
    run = load_census_baseline(CENSUS_FILE)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert (run.rows_read, run.created, run.rejected) == (24442, 24442, 0)
    camden = School.objects.filter(local_authority__dfe_code="202").open()
    assert (camden.count(), camden.state_funded().count()) == (90, 59)
    cumbria = School.objects.filter(register_la_code="909")
    assert cumbria.count() == 339
    assert set(cumbria.values_list("local_authority__dfe_code", flat=True)) == {"942", "943"}
    for authority in LocalAuthority.objects.filter(dfe_code__in=["942", "943"]):
        inside = shapely.from_wkb(bytes(authority.boundary.buffer(0.03).wkb))
        for school in cumbria.filter(local_authority=authority):
            assert inside.contains(shapely.Point(school.location.x, school.location.y))
    assert Trust.objects.filter(uid__gte=BASELINE_TRUST_UID_START).count() == 2561
    assert School.objects.get(urn=100005).record_label == "DfE school census, January 2023"


@pytest.mark.django_db
def test_second_load_writes_nothing(baseline):
    before = register_snapshot()
    again = load_census_baseline(CENSUS_SAMPLE)
    assert again.status == ImportRun.Status.SUCCEEDED
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.rows_read)
    assert register_snapshot() == before
    assert ImportRun.objects.filter(source=ImportRun.Source.SCHOOL_CENSUS).count() == 2


@pytest.mark.django_db
def test_baseline_trusts_have_footprints_across_authorities(baseline):
    trust = Trust.objects.get(name="ADVANTAGE SCHOOLS")
    assert trust.uid >= BASELINE_TRUST_UID_START and trust.gias_uid is None
    footprint = {la.dfe_code: la.school_count for la in trust.footprint()}
    assert footprint == {"822": 3, "823": 1}
    school = School.objects.get(urn=100005)
    assert (school.record_source, school.last_seen, school.status) == (
        "census",
        CENSUS_DATE,
        "Open",
    )


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda header, rows: (["URN", *header[1:]], rows), "lacks required columns"),
        (lambda header, rows: (header, []), "could be imported"),
        (
            lambda header, rows: (header, [{**row, "la_code": "999"} for row in rows]),
            "could be imported",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_file_is_refused_with_nothing_changed(baseline, tmp_path, edit, reason):
    before = register_snapshot()
    header, rows = edit(*sample_rows())
    run = load_census_baseline(write_rows(tmp_path / "bad.csv", header, rows))
    assert run.status == ImportRun.Status.REFUSED
    assert reason in run.message and run.message.startswith("Refused, nothing changed")
    assert register_snapshot() == before


@pytest.mark.django_db
def test_truncated_gzip_is_refused(baseline, tmp_path):
    before = register_snapshot()
    data = gzip.compress(CENSUS_SAMPLE.read_bytes())
    path = tmp_path / "truncated.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="Refused, nothing changed.*truncated or corrupt"):
        call_command("load_census_baseline", str(path))
    assert register_snapshot() == before


@pytest.mark.django_db
def test_baseline_never_overwrites_what_gias_holds(boundaries):
    assert import_gias_file(SAMPLE).status == ImportRun.Status.SUCCEEDED
    gias_school = School.objects.get(urn=143599)
    run = load_census_baseline(CENSUS_SAMPLE)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert "kept as GIAS has them" in run.message
    school = School.objects.get(urn=143599)
    assert (school.record_source, school.content_hash) == ("gias", gias_school.content_hash)
    assert School.objects.get(urn=100005).record_source == "census"


@pytest.mark.django_db
def test_gias_import_supersedes_baseline_urn_by_urn(baseline):
    run = import_gias_file(SAMPLE, force=True)  # a sample: far smaller than the baseline
    assert run.status == ImportRun.Status.SUCCEEDED
    school = School.objects.get(urn=143599)
    assert school.record_source == "gias"
    assert school.record_label == "GIAS extract of 24 November 2025"
    absent = School.objects.get(urn=100005)  # a Camden school the GIAS sample lacks
    assert (absent.record_source, str(absent.missing_since)) == ("census", "2025-11-24")
    assert ImportRun.objects.register_state()["loaded"] == run


@pytest.mark.django_db
def test_a_tiny_first_gias_import_is_refused_against_the_census_baseline(baseline):
    """With no GIAS import before it, the drop rail compares with the baseline's open
    schools: a 12-row file once marked all the others missing."""
    before = register_snapshot()
    schools = School.objects.open().count()
    assert schools > 50
    run = import_gias_file(SAMPLE)
    assert run.status == ImportRun.Status.REFUSED
    assert run.message == (
        "Refused, nothing changed: the file has 10 rows that could be imported, more than "
        f"20% fewer than the census baseline's {schools} open schools (a first GIAS import): "
        "refused as probably incomplete (use --force to import it anyway)"
    )
    assert register_snapshot() == before
    assert not School.objects.filter(missing_since__isnull=False).exists()


@pytest.mark.django_db
def test_a_dry_run_says_the_first_import_would_be_refused_against_the_baseline(baseline):
    schools = School.objects.open().count()
    with pytest.raises(CommandError, match=f"fewer than the census baseline's {schools} open"):
        call_command("import_gias", str(SAMPLE), "--dry-run")
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert run.dry_run and run.status == ImportRun.Status.REFUSED


@pytest.mark.django_db
def test_a_forced_first_import_says_what_it_was_checked_against(baseline, capsys):
    schools = School.objects.open().count()
    call_command("import_gias", str(SAMPLE), "--force")
    out = capsys.readouterr().out
    assert f"(the first GIAS import: checked against the census baseline's {schools} " in out
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.missing == School.objects.filter(missing_since__isnull=False).count() > 90


@pytest.mark.django_db
def test_later_imports_are_compared_with_the_last_import_not_the_baseline(baseline, tmp_path):
    assert import_gias_file(SAMPLE, force=True).status == ImportRun.Status.SUCCEEDED
    run = import_gias_file(edited_extract(tmp_path))
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert "census baseline" not in run.message
