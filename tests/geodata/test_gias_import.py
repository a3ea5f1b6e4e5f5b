import datetime
from decimal import Decimal

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


def test_moderator_uploads_an_extract_in_the_admin(admin_client, boundaries):
    with open(SAMPLE, "rb") as handle:
        response = admin_client.post(
            "/admin/geodata/importrun/upload-gias/", {"file": handle}, follow=True
        )
    run = ImportRun.objects.get(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
    assert response.redirect_chain[-1][0] == f"/admin/geodata/importrun/{run.pk}/change/"
    assert "10 created" in response.content.decode()
    assert run.location == "upload: edubasealldata20251124.csv"
    assert run.triggered_by == "admin upload by admin"
    assert LocalAuthority.objects.get(name="Rutland").schools.count() == 1


def test_upload_page_needs_permission(client, django_user_model, boundaries):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/geodata/importrun/upload-gias/").status_code == 403
