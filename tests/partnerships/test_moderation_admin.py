import pytest

from partnerships.models import Partnership, Suggestion
from tests.factories import NEW, SUBMITTER, amendment

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><b>bold</b>'


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def review_url(suggestion):
    return f"/admin/partnerships/suggestion/{suggestion.pk}/change/"


def test_the_queue_lists_pending_suggestions_oldest_first(moderator_client, partnerships):
    moderator_client.post("/suggest/", NEW)
    moderator_client.post("/suggest/", {**NEW, "name": "Second"})
    page = moderator_client.get("/admin/partnerships/suggestion/?status__exact=pending")
    html = page.content.decode()
    assert html.index("Rutland Schools Partnership") < html.index("Second")


def test_review_shows_current_and_proposed_values_side_by_side(moderator_client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    moderator_client.post(
        "/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased")
    )
    html = moderator_client.get(review_url(Suggestion.objects.get())).content.decode()
    assert "<td>Active</td>" in html and "<td>Ceased</td>" in html
    assert "Alex Example" in html and "Submitter Role Q7" in html


def test_scripts_and_html_are_shown_escaped_in_admin_and_public_pages(
    moderator_client, client, partnerships
):
    moderator_client.post(
        "/suggest/",
        {**NEW, "name": PAYLOAD, "summary": PAYLOAD, "comment": PAYLOAD, "submitter_name": PAYLOAD},
    )
    suggestion = Suggestion.objects.get()
    for url in [review_url(suggestion), "/admin/partnerships/suggestion/"]:
        html = moderator_client.get(url).content.decode()
        assert PAYLOAD not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    moderator_client.post(
        review_url(suggestion), {"action": "approve", "fields": list(suggestion.proposed)}
    )
    partnership = Partnership.objects.get(name=PAYLOAD)
    public = client.get(partnership.get_absolute_url()).content.decode()
    assert PAYLOAD not in public and "&lt;b&gt;bold&lt;/b&gt;" in public
    map_page = client.get("/").content.decode()
    assert "<script>alert" not in map_page  # json_script escapes < as \\u003C


def test_approve_selected_fields_in_the_admin(moderator_client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    moderator_client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", founded_year="2014"),
    )
    suggestion = Suggestion.objects.get()
    response = moderator_client.post(
        review_url(suggestion), {"action": "approve", "fields": ["status"]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"{suggestion.reference} approved: Learn Sheffield updated."
    ]
    sheffield.refresh_from_db()
    assert (sheffield.status, sheffield.founded_year) == ("ceased", 2015)
    assert sheffield.history.latest().history_user.username == "moderator"


def test_reject_and_spam_in_the_admin(moderator_client, partnerships):
    moderator_client.post("/suggest/", NEW)
    moderator_client.post("/suggest/", {**NEW, "name": "Junk"})
    first, second = Suggestion.objects.order_by("pk")
    response = moderator_client.post(
        review_url(first), {"action": "reject", "reason": ""}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    moderator_client.post(review_url(first), {"action": "reject", "reason": "Not an ABEP"})
    moderator_client.post(review_url(second), {"action": "spam"})
    assert list(Suggestion.objects.order_by("pk").values_list("status", flat=True)) == [
        "rejected",
        "spam",
    ]
    response = moderator_client.post(review_url(first), {"action": "approve"}, follow=True)
    assert "has already been rejected by moderator" in response.content.decode()


def test_a_conflict_is_shown_before_approving(moderator_client, partnerships):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    moderator_client.post(
        "/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased")
    )
    Partnership.objects.filter(pk=sheffield.pk).update(status="unknown")
    suggestion = Suggestion.objects.get()
    html = moderator_client.get(review_url(suggestion)).content.decode()
    assert "has changed since this suggestion was made" in html
    assert "Status: was “Active” when suggested, is now “Unknown”" in html
    response = moderator_client.post(
        review_url(suggestion), {"action": "approve", "fields": ["status"]}, follow=True
    )
    assert "Confirm that the suggestion should still be applied" in response.content.decode()
    assert Partnership.objects.get(pk=sheffield.pk).status == "unknown"
    moderator_client.post(
        review_url(suggestion),
        {"action": "approve", "fields": ["status"], "accept_conflicts": "on"},
    )
    assert Partnership.objects.get(pk=sheffield.pk).status == "ceased"


def test_moderators_have_only_the_permissions_they_need(moderator_client, partnerships):
    assert moderator_client.get("/admin/partnerships/suggestion/").status_code == 200
    assert moderator_client.get("/admin/partnerships/partnership/").status_code == 200
    assert moderator_client.get("/admin/auth/user/").status_code == 403
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    assert (
        moderator_client.get(f"/admin/partnerships/partnership/{sheffield.pk}/delete/").status_code
        == 403
    )
    assert moderator_client.get("/admin/geodata/importrun/upload-gias/").status_code == 403


def test_staff_without_the_group_cannot_moderate(client, django_user_model, partnerships):
    client.post("/suggest/", NEW)
    user = django_user_model.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    suggestion = Suggestion.objects.get()
    assert client.post(review_url(suggestion), {"action": "approve"}).status_code == 403
    assert Suggestion.objects.get().status == "pending"


def test_personal_data_never_reaches_public_pages(client, partnerships, admin_user):
    from partnerships import moderation

    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post("/partnerships/learn-sheffield/suggest/", amendment(sheffield, status="ceased"))
    moderation.approve(Suggestion.objects.get().pk, admin_user)
    for url in ["/", "/partnerships/learn-sheffield/", "/areas/E08000019/"]:
        html = client.get(url).content.decode()
        for value in SUBMITTER.values():
            if value != "on":
                assert value not in html, (url, value)
    assert "Changed: Status" in client.get("/partnerships/learn-sheffield/").content.decode()
