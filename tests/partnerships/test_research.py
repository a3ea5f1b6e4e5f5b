"""LA research records: the curated loader, the derived status, the area page, the API,
the open data, and suggestions moderated like partnership changes."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from geodata.models import LocalAuthority
from partnerships import moderation
from partnerships.models import LAResearch, OutboxMessage, Partnership, Suggestion
from partnerships.research import load_la_research
from tests.conftest import TEST_RESEARCH_FILE
from tests.factories import research_amendment

pytestmark = pytest.mark.django_db
STOCKPORT, MERTON, SHEFFIELD = "E08000007", "E09000024", "E08000019"
UNREAD = {
    "url": "https://example.org/merton",
    "title": "Not read",
    "accessed": None,
    "checked": False,
    "supports": ["summary"],
}


def research(code):
    return LAResearch.objects.with_status().get(local_authority__ons_code=code)


def test_every_current_la_gets_a_record_and_the_status_is_derived(partnerships, la_research):
    assert len(la_research.created) == 153 == LAResearch.objects.count()
    stockport = research(STOCKPORT)
    assert stockport.status == "none_found" and str(stockport.none_found_on) == "2026-11-01"
    assert stockport.sources[0]["accessed"] == "2026-11-25" and stockport.sources[0]["checked"]
    assert research(MERTON).status == "not_researched"
    assert research(SHEFFIELD).status == "documented"  # Learn Sheffield is published
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert research(SHEFFIELD).status == "researched"  # derived, never stale


def test_a_regional_body_does_not_make_an_area_documented(partnerships, la_research):
    Partnership.objects.filter(slug="learn-sheffield").update(scope="regional")
    assert research(SHEFFIELD).status == "researched"


def test_loading_again_writes_nothing_and_keeps_a_moderators_edit(
    boundaries, la_research, admin_user, tmp_path
):
    history = LAResearch.history.count()
    again = load_la_research(TEST_RESEARCH_FILE)
    assert len(again.unchanged) == 153 and not again.created and not again.updated
    assert LAResearch.history.count() == history
    merton = research(MERTON)
    merton.summary = "A moderator's correction."
    merton._history_user = admin_user
    merton.save()
    path = tmp_path / "la_research.json"
    changed = {"ons_code": MERTON, "summary": "Changed upstream.", "searches": ["Merton"]}
    path.write_text(json.dumps([{**changed, "summary_is_search_report": True}]))
    report = load_la_research(path)
    assert report.kept_human_edits == [MERTON]
    assert research(MERTON).summary == "A moderator's correction."


@pytest.mark.parametrize(
    "record, message",
    [
        ({"ons_code": "E06999999"}, "no current local authority has the code 'E06999999'"),
        ({"ons_code": MERTON, "none_found_on": "last year"}, "is not a date"),
        ({"ons_code": MERTON, "sources": [{"url": "ftp://x"}]}, r"source without an http\(s\)"),
        ({"ons_code": MERTON, "sources": [{"url": "https://x", "notes": ""}]}, "other than"),
        # Every claim needs a read source; what is not known needs the searches made.
        (
            {"ons_code": MERTON, "summary": "Clusters.", "council_role": "in_house_team"},
            r"research record 2 \(E09000024\): no read source supports summary, council_role",
        ),
        (
            {"ons_code": MERTON, "summary": "Nothing found.", "council_role": "unknown"},
            r"say which searches were made \(searches\), since the council's role is unknown",
        ),
        (
            {"ons_code": MERTON, "none_found_on": "2026-12-01"},
            r"say which searches were made \(searches\), since nothing was found",
        ),
        ({"ons_code": MERTON, "council_role": "mayor"}, "council_role 'mayor' is not one of"),
        (
            {"ons_code": MERTON, "summary": "S.", "searches": ["q"], "sources": [UNREAD]},
            "no read source supports summary",
        ),
        (
            {"ons_code": MERTON, "sources": [{**UNREAD, "supports": ["legal_form"]}]},
            "supports names unknown fields: legal_form",
        ),
    ],
)
def test_bad_research_files_are_refused_and_nothing_is_written(
    boundaries, tmp_path, record, message
):
    path = tmp_path / "la_research.json"
    path.write_text(json.dumps([{"ons_code": STOCKPORT}, record]))
    with pytest.raises(CommandError, match=message):
        call_command("load_la_research", str(path))
    assert not LAResearch.objects.exists()


def test_area_page_shows_research_and_asks_when_nothing_is_known(client, partnerships, la_research):
    html = client.get(f"/areas/{STOCKPORT}/").content.decode()
    assert "Researched: no local partnership found" in html
    assert "Schools Strategy" in html and "searched on 1 November 2026" in html
    assert 'id="research-ask"' not in html
    html = client.get(f"/areas/{MERTON}/").content.decode()
    assert "Not researched yet" in html
    assert 'id="research-ask"' in html and f"/areas/{MERTON}/research/suggest/" in html


def test_api_la_detail_carries_research(client, partnerships, la_research):
    body = client.get(f"/api/v1/local-authorities/{STOCKPORT}/").json()
    assert body["research"]["status"] == "none_found"
    assert body["research"]["last_verified"] == "2026-11-25"
    assert body["research"]["sources"][0]["url"].startswith("https://democracy.stockport")
    assert "Schools Strategy" in body["research"]["summary"]
    assert client.get(f"/api/v1/local-authorities/{SHEFFIELD}/").json()["research"]["status"] == (
        "documented"
    )


def test_research_csv_has_every_la_with_its_derived_status(client, partnerships, la_research):
    response = client.get("/data/la-research.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 153
    by_code = {row["la_code"]: row for row in rows}
    assert by_code[STOCKPORT]["status"] == "none_found"
    assert by_code[STOCKPORT]["sources_accessed"] == "2026-11-25;"
    assert by_code[STOCKPORT]["council_role"] == "unknown"
    assert by_code[STOCKPORT]["searches"].startswith("Stockport schools partnership")
    assert by_code[SHEFFIELD]["council_role"] == "council_company"
    assert by_code[SHEFFIELD]["status"] == "documented"
    assert by_code[MERTON]["status"] == "not_researched" and rows[0]["licence"].startswith("CC BY")


def test_map_data_gives_what_we_know_per_area(client, partnerships, la_research):
    from partnerships.map_data import map_data

    data = map_data()
    assert data["research"][STOCKPORT] == "none_found"
    assert data["research"][SHEFFIELD] == "documented"
    assert ["not_researched", "Not researched yet"] in data["research_statuses"]


def suggest(client, code, **values):
    data = research_amendment(research(code), **values)
    return client.post(f"/areas/{code}/research/suggest/", data)


def test_a_research_suggestion_is_moderated_and_kept_over_the_next_load(
    client, moderator, partnerships, la_research
):
    response = suggest(
        client,
        MERTON,
        summary="Merton's schools meet in termly clusters.",
        evidence_urls="https://example.org/merton-clusters",
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == "research" and suggestion.research.local_authority.name == "Merton"
    assert suggestion.proposed == {"summary": "Merton's schools meet in termly clusters."}
    notice = OutboxMessage.objects.get(subject__startswith="New suggestion")
    assert f"{suggestion.reference} (LA research record: Merton)." in notice.body
    client.force_login(moderator)
    review = client.get(f"/admin/partnerships/suggestion/{suggestion.pk}/change/")
    html = review.content.decode()
    assert "Merton" in html and "termly clusters" in html and 'value="summary"' in html
    client.post(
        f"/admin/partnerships/suggestion/{suggestion.pk}/change/",
        {"action": "approve", "fields": ["summary"]},
    )
    merton = research(MERTON)
    assert merton.summary == "Merton's schools meet in termly clusters."
    assert merton.sources[-1]["url"] == "https://example.org/merton-clusters"
    assert merton.last_verified is not None
    assert merton.history.first().history_user == moderator
    assert Suggestion.objects.get().status == "approved"
    load_la_research(TEST_RESEARCH_FILE)
    assert research(MERTON).summary == "Merton's schools meet in termly clusters."


def test_the_admin_names_the_research_record_it_approved(
    client, moderator, partnerships, la_research
):
    suggest(client, MERTON, summary="Merton's schools meet in termly clusters.")
    suggestion = Suggestion.objects.get()
    client.force_login(moderator)
    review = client.get(f"/admin/partnerships/suggestion/{suggestion.pk}/change/")
    assert 'of <a href="/areas/E09000024/">Merton</a>' in review.content.decode()
    response = client.post(
        f"/admin/partnerships/suggestion/{suggestion.pk}/change/",
        {"action": "approve", "fields": ["summary"]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"{suggestion.reference} approved: Merton's research record updated."
    ]


def test_a_research_suggestion_can_be_rejected_and_conflicts_need_confirming(
    client, moderator, partnerships, la_research
):
    suggest(client, MERTON, none_found_on="2026-11-20")
    suggest(client, MERTON, summary="Another view.")
    first, second = Suggestion.objects.order_by("pk")
    moderation.reject(second.pk, moderator, "No evidence given.")
    merton = research(MERTON)
    merton.none_found_on = "2026-10-01"
    merton.save()
    with pytest.raises(moderation.ModerationError, match="research record changed"):
        moderation.approve(first.pk, moderator)
    moderation.approve(first.pk, moderator, accept_conflicts=True)
    assert str(research(MERTON).none_found_on) == "2026-11-20"
    assert research(MERTON).status == "none_found"


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"none_found_on": "2999-01-01"}, "none_found_on", "cannot be in the future"),
        ({"none_found_on": "soon"}, "none_found_on", "Enter a valid date"),
        ({"none_found_on": "0001-01-01"}, "none_found_on", "must be in 2000 or later"),
        (
            {"la_functions": "x" * 2_400_000},
            "la_functions",
            "School-improvement functions the council keeps must be 2000 characters or fewer",
        ),
        ({"summary": "x" * 2001}, "summary", "must be 2000 characters or fewer"),
        ({}, None, "Nothing was changed"),
    ],
)
def test_bad_research_suggestions_get_clear_errors(client, la_research, values, field, message):
    response = suggest(client, MERTON, **values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_only_current_las_have_a_research_form(client, la_research):
    assert client.get("/areas/E99999999/research/suggest/").status_code == 404
    assert client.get(f"/areas/{MERTON}/research/suggest/").status_code == 200
    assert LocalAuthority.objects.current().count() == 153


def test_an_oversized_text_suggested_before_the_forms_bounded_it_is_never_published(
    la_research, moderator
):
    merton = research(MERTON)
    suggestion = Suggestion.objects.create(
        kind=Suggestion.Kind.RESEARCH,
        research=merton,
        proposed={"la_functions": "x" * 2_400_000},
        baseline={"la_functions": merton.la_functions},
    )
    with pytest.raises(moderation.ModerationError, match="at most 2000 characters"):
        moderation.approve(suggestion.pk, moderator)
    assert research(MERTON).la_functions == merton.la_functions
    assert Suggestion.objects.get().status == "pending"


def test_a_summary_that_only_reports_the_searches_needs_no_source(boundaries, tmp_path):
    path = tmp_path / "la_research.json"
    record = {
        "ons_code": MERTON,
        "summary": "Our searches of public pages (listed) found no description of this.",
        "summary_is_search_report": True,
        "searches": ["Merton school improvement partnership"],
    }
    path.write_text(json.dumps([record]))
    load_la_research(path)
    merton = research(MERTON)
    assert merton.searches == ["Merton school improvement partnership"]
    assert merton.council_role == "unknown" and merton.status == "researched"
    path.write_text(json.dumps([{**record, "searches": []}]))
    with pytest.raises(CommandError, match="searches"):
        call_command("load_la_research", str(path))


def test_area_page_leads_with_the_summary_and_cites_each_claim(client, partnerships, la_research):
    html = client.get(f"/areas/{SHEFFIELD}/").content.decode()
    summary = html.index('id="research-summary"')
    assert summary < html.index("Partnerships covering Sheffield") < html.index('id="similar"')
    assert html.index("<h1>") < summary
    role = html[html.index('id="council-role"') :]
    role = role[: role.index("</dd>")]
    assert "A company the council owns or co-owns" in role
    assert '<a href="#research-source-1" aria-label="Source 1">1</a>' in role
    assert 'id="research-source-1"' in html and "dated 24 November 2025" in html
    stockport = client.get(f"/areas/{STOCKPORT}/").content.decode()
    searches = stockport[stockport.index('id="research-searches"') :]
    assert "found no local partnership" in searches[:400]
    assert "“Stockport education partnership board”" in searches
    # An unread source is listed, says it supports nothing, and is cited for nothing.
    assert "not read by us, so it supports nothing here" in stockport
    assert 'href="#research-source-2"' not in stockport


def test_the_api_and_sources_csv_say_which_source_says_what(client, partnerships, la_research):
    detail = client.get(f"/api/v1/local-authorities/{SHEFFIELD}/").json()
    record = detail["research"]
    assert record["council_role"] == "council_company"
    assert record["sources"][0]["supports"] == ["summary", "council_role"]
    assert record["sources"][0]["published"] == "2025-11-24"
    rows = list(csv.DictReader(io.StringIO(client.get("/data/sources.csv").content.decode())))
    research_rows = {
        (r["record_id"], r["number"]): r for r in rows if r["record_type"] == "la_research"
    }
    assert research_rows[(STOCKPORT, "1")]["supports"] == "summary"
    assert research_rows[(STOCKPORT, "2")]["checked"] == "False"
    sheffield = [r for r in rows if r["record_id"] == "learn-sheffield"]
    assert sheffield[0]["number"] == "1" and "founded_year" in sheffield[0]["supports"].split(";")
