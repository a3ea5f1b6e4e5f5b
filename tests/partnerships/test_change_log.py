"""The public change log is written when a change is made (an approval, a moderator's edit
in the admin, a curated load), one row per change, and the partnership's page reads it."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from partnerships import moderation
from partnerships.changelog import public_changes
from partnerships.curated import load_curated_partnerships
from partnerships.models import ChangeLogEntry, LAResearch, Partnership, Suggestion
from tests.factories import LEARN_SHEFFIELD, NEW, amendment, research_amendment

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("partnerships.migrations.0013_backfill_change_log")
MERTON = "E09000024"


def new_rows():
    return ChangeLogEntry.objects.order_by("pk")


@pytest.fixture
def sheffield_amended(client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", founded_year="2014"),
    )
    return Suggestion.objects.get()


def test_approval_writes_one_row_with_the_applied_fields(client, sheffield_amended, moderator):
    before = set(new_rows().values_list("pk", flat=True))
    moderation.approve(sheffield_amended.pk, moderator, fields=["status", "founded_year"])
    [row] = new_rows().exclude(pk__in=before)
    assert (row.partnership.slug, row.research, row.added) == ("learn-sheffield", None, False)
    assert row.fields == ["status", "founded_year"]  # in the public order
    assert (row.origin, row.suggestion) == ("suggestion", sheffield_amended)
    page = client.get("/partnerships/learn-sheffield/").content.decode()
    assert "Changed: Status, Founded year" in page


def test_a_new_partnership_is_logged_as_added(client, partnerships, moderator):
    client.post("/suggest/", NEW)
    partnership = moderation.approve(Suggestion.objects.get().pk, moderator)
    [row] = partnership.change_log.all()
    assert row.added and row.origin == "suggestion"
    assert [c["summary"] for c in public_changes(partnership)] == ["Added to the map"]


def test_rejected_or_spam_suggestions_write_nothing(client, sheffield_amended, moderator):
    client.post("/suggest/", NEW)
    before = new_rows().count()
    moderation.reject(sheffield_amended.pk, moderator, "No evidence.")
    moderation.mark_spam(Suggestion.objects.get(kind="new").pk, moderator)
    assert new_rows().count() == before


def test_a_refused_approval_writes_nothing(client, sheffield_amended, moderator):
    Partnership.objects.filter(slug="learn-sheffield").update(status="unknown")
    before = new_rows().count()
    with pytest.raises(moderation.ModerationError):
        moderation.approve(sheffield_amended.pk, moderator)
    assert new_rows().count() == before


def test_a_research_approval_is_logged_on_the_research_record(
    client, la_research, moderator, partnerships
):
    merton = LAResearch.objects.get(local_authority__ons_code=MERTON)
    client.post(
        f"/areas/{MERTON}/research/suggest/",
        research_amendment(merton, summary="Termly clusters."),
    )
    before = set(new_rows().values_list("pk", flat=True))
    moderation.approve(Suggestion.objects.get().pk, moderator)
    [row] = new_rows().exclude(pk__in=before)
    assert (row.research, row.partnership, row.fields) == (merton, None, ["summary"])


def edited_in_the_admin(client, url, **changes):
    """Post the admin's change form as shown, with `changes`; inlines left as they are."""
    page = client.get(url)
    data = {bound.name: bound.value() for bound in page.context["adminform"].form if bound.value()}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, {**data, **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_moderators_edit_in_the_admin_is_logged(client, partnerships, admin_user):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.force_login(admin_user)
    url = f"/admin/partnerships/partnership/{sheffield.pk}/change/"
    edited_in_the_admin(client, url, name="Learn Sheffield Ltd")
    row = sheffield.change_log.first()
    assert (row.fields, row.origin, row.suggestion) == (["name"], "moderator", None)
    assert "Changed: Name" in client.get("/partnerships/learn-sheffield/").content.decode()


def test_curated_loads_log_what_they_add_and_change(partnerships, tmp_path):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    [added] = sheffield.change_log.all()
    assert added.added and added.origin == "curated"
    path = tmp_path / "again.json"
    path.write_text(json.dumps([LEARN_SHEFFIELD]))
    load_curated_partnerships(path)
    assert sheffield.change_log.count() == 1  # nothing changed, nothing logged
    path.write_text(json.dumps([{**LEARN_SHEFFIELD, "founded_year": 2016}]))
    load_curated_partnerships(path)
    assert sheffield.change_log.first().fields == ["founded_year"]


def test_the_log_moves_the_data_version(partnerships):
    def version():
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM geodata_dataversion WHERE id = 1")
            return cursor.fetchone()[0]

    before = version()
    ChangeLogEntry.objects.filter(partnership__slug="learn-sheffield").delete()
    assert version() > before


def test_the_backfill_keeps_the_log_that_history_gave(client, sheffield_amended, moderator):
    moderation.approve(sheffield_amended.pk, moderator, fields=["founded_year"])
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    written = public_changes(sheffield)
    ChangeLogEntry.objects.all().delete()
    backfill.forwards(apps, None)
    assert (
        [c["summary"] for c in public_changes(sheffield)]
        == [c["summary"] for c in written]
        == ["Changed: Founded year", "Added to the map"]
    )
    row = sheffield.change_log.first()
    assert (row.origin, row.suggestion) == ("suggestion", sheffield_amended)
