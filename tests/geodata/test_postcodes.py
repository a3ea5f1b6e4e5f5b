import gzip

import pytest
from django.core.management import CommandError, call_command

from geodata.importers.postcodes import load_postcodes
from geodata.models import ImportRun, Postcode
from geodata.postcodes import (
    InvalidPostcode,
    PostcodeNotFound,
    display_postcode,
    find_postcode,
    normalise_postcode,
)
from tests.factories import POSTCODE_SAMPLE

ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,ctry\n"


def table():
    return list(
        Postcode.objects.order_by("postcode").values_list("postcode", "la_code", "terminated")
    )


@pytest.mark.parametrize(
    "text, compact",
    [
        ("s12he", "S12HE"),
        ("S1  2HE", "S12HE"),
        ("  s1 2he\t", "S12HE"),
        ("SW1A 1AA", "SW1A1AA"),
        ("ec1a1bb", "EC1A1BB"),
        ("W1A 0AX", "W1A0AX"),
        ("DN55 1PT", "DN551PT"),
        ("cr2 6xh", "CR26XH"),
    ],
)
def test_postcodes_are_normalised_whatever_the_case_and_spacing(text, compact):
    assert normalise_postcode(text) == compact
    assert display_postcode(compact) == f"{compact[:-3]} {compact[-3:]}"


@pytest.mark.parametrize(
    "text", ["", "12", "hello", "S1 2H", "1S1 2HE", "S1-2HE", "S1 2HEE", "<script>", "SS1 2H3"]
)
def test_garbage_is_not_a_postcode(text):
    with pytest.raises(InvalidPostcode, match="is not a postcode"):
        normalise_postcode(text)


@pytest.mark.django_db
def test_load_is_idempotent_and_recorded(postcodes):
    assert (postcodes.rows_read, postcodes.created, postcodes.rejected) == (33, 33, 0)
    before = table()
    again = load_postcodes(POSTCODE_SAMPLE)
    assert again.status == ImportRun.Status.SUCCEEDED and "nothing to do" in again.message
    forced = load_postcodes(POSTCODE_SAMPLE, force=True)
    assert (forced.created, forced.updated, forced.unchanged) == (0, 0, 33)
    assert table() == before
    assert ImportRun.objects.filter(source=ImportRun.Source.POSTCODES).count() == 3


@pytest.mark.django_db
def test_dry_run_writes_nothing(boundaries):
    call_command("load_postcodes", str(POSTCODE_SAMPLE), "--dry-run")
    assert Postcode.objects.count() == 0
    run = ImportRun.objects.get(source=ImportRun.Source.POSTCODES)
    assert run.status == ImportRun.Status.DRY_RUN
    assert (
        run.message.startswith("Dry run, nothing changed") and "33 postcodes created" in run.message
    )


@pytest.mark.parametrize(
    "content, reason",
    [
        ("postcode,la\nS1 2HE,E08000019\n", "neither the bundled columns"),
        ("pc,utla\nS1 2HE,E08000019\nNW1 8DP,X99\n", "rows were rejected"),
        ('pc,utla\nS1 2HE,E08000019\n"NW1 8DP,E09000007\n', "truncated or malformed"),
        ("pc,utla\n", "could be imported"),
        ("<!doctype html><html></html>", "neither the bundled columns"),
    ],
)
@pytest.mark.django_db
def test_bad_file_is_refused_with_nothing_changed(postcodes, tmp_path, content, reason):
    before = table()
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=f"Refused, nothing changed.*{reason}"):
        call_command("load_postcodes", str(path))
    assert table() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.REFUSED).count() == 1


@pytest.mark.django_db
def test_far_fewer_rows_than_last_time_is_refused(postcodes, tmp_path):
    path = tmp_path / "few.csv.gz"
    path.write_bytes(gzip.compress(b"pc,utla\nS1 2HE,E08000019\n"))
    run = load_postcodes(path)
    assert run.status == ImportRun.Status.REFUSED and "fewer than the 33" in run.message


@pytest.mark.django_db
def test_onspd_terminated_postcodes_keep_their_last_authority(boundaries, tmp_path):
    path = tmp_path / "ONSPD_NOV_2025_UK.csv"
    path.write_text(
        ONSPD_HEADER
        + "S1  2HE,S1  2HE,S1 2HE,198001,,E99999999,E99999999,E08000039,E05010865,E92000001\n"
        + "LA9 4PH,LA9  4PH,LA9 4PH,198001,202003,E99999999,E99999999,E06000064,E05014231,"
        "E92000001\n"
        + "LE156HQ,LE15 6HQ,LE15 6HQ,198001,,E99999999,E99999999,E06000017,E05010000,E92000001\n"
        + "EH1 1YZ,EH1  1YZ,EH1 1YZ,198001,,S99999999,S99999999,S12000036,S13002930,S92000003\n"
    )
    run = load_postcodes(path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert "format: onspd" in run.message and "1 outside England skipped" in run.message
    postcode, authority = find_postcode("la94ph")
    assert (str(postcode.terminated), authority.name) == ("2020-03-01", "Westmorland and Furness")
    assert find_postcode("S1 2HE")[1].name == "Sheffield"  # its 2025 recode resolves
    assert Postcode.objects.count() == 3


@pytest.mark.django_db
def test_lookup_explains_what_it_cannot_place(postcodes):
    with pytest.raises(PostcodeNotFound, match="EH1 1YZ is in Scotland"):
        find_postcode("eh11yz")
    with pytest.raises(PostcodeNotFound, match="ZZ9 9ZZ is not a known English postcode"):
        find_postcode("ZZ99ZZ")


@pytest.mark.django_db
def test_postcode_table_keeps_one_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'geodata_postcode'")
        assert [row[0] for row in cursor.fetchall()] == ["geodata_postcode_pkey"]
