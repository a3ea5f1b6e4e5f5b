import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.utils import timezone

from partnerships import moderation, retention
from partnerships.models import OutboxMessage, Partnership, Suggestion
from partnerships.notifications import send_due_messages
from tests.factories import NEW, amendment

pytestmark = pytest.mark.django_db


def test_a_new_partnership_suggestion_is_saved_and_acknowledged(client, partnerships, moderator):
    response = client.post("/suggest/", NEW)
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response.url == f"/suggest/received/{suggestion.reference}/"
    page = client.get(response.url).content.decode()
    assert suggestion.reference in page and "Alex" not in page
    assert suggestion.kind == Suggestion.Kind.NEW and suggestion.status == "pending"
    assert suggestion.proposed["name"] == "Rutland Schools Partnership"
    assert suggestion.proposed["local_authorities"] == ["E06000017"]
    assert suggestion.proposed["focus_areas"] == ["attendance", "school_improvement"]
    assert suggestion.evidence_urls == ["https://example.org/evidence"]
    messages = OutboxMessage.objects.order_by("pk")
    assert [m.to for m in messages] == ["alex@example.org", "moderator@example.org"]
    assert suggestion.reference in messages[0].body
    # Eager dispatch is off in tests without a worker: the outbox sends when asked.
    assert send_due_messages() == 2
    assert len(mail.outbox) == 2
    assert not Partnership.objects.filter(name="Rutland Schools Partnership").exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "Enter the name of the partnership"),
        ({"submitter_name": ""}, "submitter_name", "Enter your name"),
        (
            {"submitter_email": "not-an-email"},
            "submitter_email",
            "Enter an email address in the correct format",
        ),
        ({"evidence_urls": "see the council site"}, "evidence_urls", "is not a web address"),
        (
            {"evidence_urls": "\n".join(f"https://e.org/{i}" for i in range(11))},
            "evidence_urls",
            "at most 10",
        ),
        ({"founded_year": "2999"}, "founded_year", "must be this year or earlier"),
        ({"founded_year": "soon"}, "founded_year", "as a number, like 2016"),
        (
            {"local_authorities": ["E06999999"]},
            "local_authorities",
            "from the list (E06999999 is not one)",
        ),
        ({"local_authorities": []}, "local_authorities", "Choose at least one"),
        ({"comment": "x" * 5001}, "comment", "must be 5000 characters or fewer"),
        ({"summary": "x" * 2001}, "summary", "must be 2000 characters or fewer"),
        ({"legal_form_detail": "x" * 301}, "legal_form_detail", "300 characters or fewer"),
        ({"evidence_urls": "https://e.org/\n" * 400}, "evidence_urls", "5010 characters or fewer"),
        (
            {"evidence_urls": "https://example.org/" + "a" * 481},
            "evidence_urls",
            "500 characters or fewer",
        ),
        ({"fax_number": "x" * 201}, "fax_number", "200 characters or fewer"),
        ({"evidence_year": "0"}, "evidence_year", "must be 1900 or later"),
        ({"evidence_year": "2999"}, "evidence_year", "must be this year or earlier"),
        ({"website": "javascript:alert(1)"}, "website", "in the correct format"),
        ({"website": "ftp://example.org/"}, "website", "starting with http:// or https://"),
        ({"website": 'https://example.org/"><script>'}, "website", "no spaces or quotes"),
        ({"evidence_urls": "ftp://example.org/a"}, "evidence_urls", "is not a web address"),
        ({"evidence_urls": 'https://e.org/"><script>'}, "evidence_urls", "is not a web address"),
        ({"la_role": "council_run"}, "la_role", "Choose one of the options given"),
    ],
)
def test_bad_input_gets_a_clear_error_per_field_and_nothing_is_saved(
    client, partnerships, change, field, message
):
    response = client.post("/suggest/", {**NEW, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_amendment_form_is_prefilled_with_todays_values(client, partnerships):
    html = client.get("/partnerships/learn-sheffield/suggest/").content.decode()
    assert 'value="Learn Sheffield"' in html
    assert 'value="school_improvement"' in html and "checked" in html
    assert '<option value="E08000019" selected>' in html


def test_an_amendment_records_only_what_changed_and_the_baseline(client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", focus_areas=["school_improvement", "attendance"]),
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == Suggestion.Kind.AMENDMENT
    assert suggestion.proposed == {
        "status": "ceased",
        "focus_areas": ["attendance", "school_improvement"],
    }
    assert suggestion.baseline["status"] == "active"


def test_an_empty_number_is_not_proposed_as_a_change(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(evidence_year=None)
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield, kind="programme"))
    assert Suggestion.objects.get().proposed == {"kind": "programme"}


def test_the_moderators_notice_names_what_the_suggestion_changes(client, partnerships, moderator):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased"))
    client.post("/suggest/", NEW)
    amended, new = Suggestion.objects.order_by("pk")
    notices = OutboxMessage.objects.filter(subject__startswith="New suggestion").order_by("pk")
    assert [notice.body.splitlines()[0].split(": ", 1)[1] for notice in notices] == [
        f"{amended.reference} (Amendment: Learn Sheffield).",
        f"{new.reference} (New partnership).",
    ]


def test_an_amendment_that_changes_nothing_is_refused(client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    response = client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield))
    assert "Nothing was changed" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_reporting_a_closure(client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, action="closure", comment="It closed in 2026."),
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == Suggestion.Kind.CLOSURE
    assert suggestion.proposed == {"status": "ceased"}


def test_the_honeypot_keeps_bots_out_quietly(client, partnerships):
    response = client.post("/suggest/", {**NEW, "fax_number": "0123"})
    assert response.status_code == 302  # the bot learns nothing
    assert Suggestion.objects.get().status == Suggestion.Status.SPAM
    assert not OutboxMessage.objects.exists()


def test_the_limit_counts_per_address_and_refusal_keeps_what_was_typed(
    client, partnerships, settings
):
    """A shared network's address has a generous ceiling; once reached, the 429 re-shows the
    form filled in, saying why, and saves nothing."""
    assert settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR >= 30
    settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR = 5
    for number in range(5):
        person = {**NEW, "submitter_email": f"person{number}@example.org"}
        assert client.post("/suggest/", person).status_code == 302
    typed = {**NEW, "summary": "What I typed before the limit (test data)."}
    response = client.post("/suggest/", typed)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "This connection has sent 5 suggestions in the last hour" in html
    assert "What I typed before the limit (test data)." in html
    assert 'value="Rutland Schools Partnership"' in html
    assert Suggestion.objects.count() == 5
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/suggest/", NEW).status_code == 302


def test_the_limit_counts_per_email_across_addresses(partnerships, settings):
    settings.SUGGESTIONS_PER_EMAIL_PER_HOUR = 3
    for number in range(3):
        assert (
            Client(REMOTE_ADDR=f"192.0.2.{number + 10}").post("/suggest/", NEW).status_code == 302
        )
    response = Client(REMOTE_ADDR="192.0.2.99").post("/suggest/", NEW)
    assert response.status_code == 429
    assert f"{NEW['submitter_email']} has sent 3 suggestions in the last hour" in (
        response.content.decode()
    )
    colleague = {**NEW, "submitter_email": "colleague@example.org"}
    assert Client(REMOTE_ADDR="192.0.2.99").post("/suggest/", colleague).status_code == 302


def test_the_suggestion_limit_counts_visitors_behind_a_trusted_proxy(partnerships, settings):
    settings.TRUSTED_PROXIES = 1
    settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR = 5
    settings.SUGGESTIONS_PER_EMAIL_PER_HOUR = 100
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        Client(HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).post("/suggest/", NEW)
    spoofing = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1", **proxy)
    assert spoofing.post("/suggest/", NEW).status_code == 429
    other_visitor = Client(HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other_visitor.post("/suggest/", NEW).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_from_one_client_save_at_most_the_limit(partnerships, settings):
    settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR = 5
    barrier = threading.Barrier(12)
    statuses = []

    def post():
        try:
            barrier.wait()
            statuses.append(Client().post("/suggest/", NEW).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Suggestion.objects.count() == 5
    assert sorted(statuses) == [302] * 5 + [429] * 7


def test_csrf_is_required(partnerships):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/suggest/", NEW).status_code == 403
    assert not Suggestion.objects.exists()


def suggest_new(client, **changes):
    client.post("/suggest/", {**NEW, **changes})
    return Suggestion.objects.latest("created_at")


def test_approving_a_new_partnership_publishes_it_with_history(client, partnerships, moderator):
    suggestion = suggest_new(client)
    partnership = moderation.approve(suggestion.pk, moderator)
    assert partnership.slug == "rutland-schools-partnership" and partnership.published
    assert list(partnership.local_authorities.values_list("name", flat=True)) == ["Rutland"]
    assert partnership.sources.get().url == "https://example.org/evidence"
    record = partnership.history.earliest()
    assert record.history_user == moderator
    assert record.history_change_reason == f"Suggestion {suggestion.reference} approved"
    suggestion.refresh_from_db()
    assert suggestion.status == "approved" and suggestion.decided_by == moderator
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Added to the map" in page
    assert "Alex Example" not in page and "alex@example.org" not in page
    # The submitter is told it was published, and where.
    told = OutboxMessage.objects.get(subject__endswith="has been published")
    assert told.to == "alex@example.org" and suggestion.reference in told.subject
    assert f"/partnerships/{partnership.slug}/" in told.body


def test_the_confirmation_page_says_what_happens_next(client, partnerships):
    suggestion = suggest_new(client)
    page = client.get(f"/suggest/received/{suggestion.reference}/").content.decode()
    assert "What happens next" in page
    assert "we email you to say" in " ".join(page.split())


def test_partial_approval_applies_only_the_chosen_fields(client, partnerships, moderator):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", founded_year="2014"),
    )
    suggestion = Suggestion.objects.get()
    moderation.approve(suggestion.pk, moderator, fields=["founded_year"])
    sheffield.refresh_from_db()
    assert sheffield.founded_year == 2014 and sheffield.status == "active"
    assert Suggestion.objects.get().applied_fields == ["founded_year"]
    log = client.get("/partnerships/learn-sheffield/").content.decode()
    assert "Changed: Founded year" in log


def test_rejecting_needs_a_reason_and_can_tell_the_submitter(client, partnerships, moderator):
    suggestion = suggest_new(client)
    with pytest.raises(moderation.ModerationError, match="Give a reason"):
        moderation.reject(suggestion.pk, moderator, "  ")
    moderation.reject(suggestion.pk, moderator, "No public evidence found.", notify_submitter=True)
    message = (
        OutboxMessage.objects.filter(subject__startswith="Your suggestion")
        .exclude(subject__contains="received")
        .get()
    )
    assert "No public evidence found." in message.body and message.to == "alex@example.org"
    assert not Partnership.objects.filter(name=NEW["name"]).exists()


def test_spam_changes_nothing(client, partnerships, moderator):
    suggestion = suggest_new(client)
    moderation.mark_spam(suggestion.pk, moderator)
    assert Suggestion.objects.get().status == "spam"
    with pytest.raises(moderation.ModerationError, match="already been spam"):
        moderation.approve(suggestion.pk, moderator)


def test_a_stale_suggestion_shows_the_conflict_before_approval(client, partnerships, moderator):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased"))
    suggestion = Suggestion.objects.get()
    sheffield.status = "unknown"
    sheffield.save()
    conflicts = [c for c in moderation.review(suggestion) if c.conflict]
    assert [(c.field, c.baseline, c.current, c.proposed) for c in conflicts] == [
        ("status", "active", "unknown", "ceased")
    ]
    with pytest.raises(moderation.ModerationError, match="changed after this suggestion"):
        moderation.approve(suggestion.pk, moderator)
    assert Partnership.objects.get(slug="learn-sheffield").status == "unknown"
    moderation.approve(suggestion.pk, moderator, accept_conflicts=True)
    assert Partnership.objects.get(slug="learn-sheffield").status == "ceased"


def test_an_invalid_result_is_refused_whole(client, partnerships, moderator):
    suggestion = suggest_new(client)
    Suggestion.objects.filter(pk=suggestion.pk).update(
        proposed={**suggestion.proposed, "scope": ""}
    )
    with pytest.raises(moderation.ModerationError, match="would not be valid"):
        moderation.approve(suggestion.pk, moderator)
    assert not Partnership.objects.filter(name=NEW["name"]).exists()
    assert Suggestion.objects.get().status == "pending"


def test_personal_data_is_erased_after_the_retention_period(
    client, partnerships, moderator, settings
):
    old = suggest_new(client)
    recent = suggest_new(client, name="Another")
    pending = suggest_new(client, name="Pending one")
    moderation.reject(old.pk, moderator, "Duplicate", notify_submitter=True)
    moderation.reject(recent.pk, moderator, "Duplicate")
    Suggestion.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=91))
    assert retention.erase_expired_personal_data() == 1
    old.refresh_from_db()
    assert (old.submitter_name, old.submitter_email, old.client_fingerprint) == ("", "", "")
    assert old.personal_data_erased_at
    assert not OutboxMessage.objects.filter(suggestion=old).exclude(to="").exists()
    assert Suggestion.objects.get(pk=recent.pk).submitter_email == "alex@example.org"
    assert Suggestion.objects.get(pk=pending.pk).submitter_email == "alex@example.org"


@pytest.mark.django_db(transaction=True)
def test_two_moderators_approving_at_once_cannot_both_apply_it(
    partnerships, moderator, django_user_model
):
    client = Client()
    suggestion = suggest_new(client)
    other = django_user_model.objects.create_user("mod2", password="x")
    results = []
    barrier = threading.Barrier(2)

    def act(user):
        barrier.wait()
        try:
            moderation.approve(suggestion.pk, user)
            results.append("applied")
        except moderation.ModerationError as error:
            results.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(user,)) for user in (moderator, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert any("has already been approved by" in result for result in results), results
    assert results.count("applied") == 1
    assert Partnership.objects.filter(name=NEW["name"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_same_name_partnerships_approved_at_once_get_an_address_each(partnerships, moderator):
    """The second approval computes the same free slug as the first (not committed yet), so
    its insert waits on the unique index and, once the first commits, meets the conflict."""
    from django.db import connection, transaction

    client = Client()
    first, second = suggest_new(client), suggest_new(client)
    inserted, outcome = threading.Event(), []

    def approve_first_and_commit_once_the_second_waits():
        try:
            with transaction.atomic():
                moderation.approve(first.pk, moderator)
                inserted.set()
                with connection.cursor() as cursor:
                    for _wait in range(200):
                        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                        if cursor.fetchone()[0]:
                            outcome.append("the second waited")
                            break
                        time.sleep(0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=approve_first_and_commit_once_the_second_waits)
    thread.start()
    assert inserted.wait(20)
    moderation.approve(second.pk, moderator)
    thread.join()
    assert outcome == ["the second waited"]
    assert sorted(Partnership.objects.filter(name=NEW["name"]).values_list("slug", flat=True)) == [
        "rutland-schools-partnership",
        "rutland-schools-partnership-2",
    ]
    assert set(Suggestion.objects.values_list("status", flat=True)) == {"approved"}


def test_two_same_name_partnerships_approved_one_after_the_other(client, partnerships, moderator):
    first, second = suggest_new(client), suggest_new(client)
    assert moderation.approve(first.pk, moderator).slug == "rutland-schools-partnership"
    assert moderation.approve(second.pk, moderator).slug == "rutland-schools-partnership-2"


def test_every_text_field_of_the_suggestion_forms_is_bounded(partnerships, la_research):
    """What a visitor types is stored, and published if approved: nothing is unbounded."""
    from django import forms

    from partnerships.models import LAResearch
    from partnerships.suggestions import ResearchSuggestionForm, SuggestionForm

    research = LAResearch.objects.first()
    for form in [SuggestionForm(), ResearchSuggestionForm(research=research)]:
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, name
                assert str(field.widget.attrs.get("maxlength")) == str(field.max_length), name
