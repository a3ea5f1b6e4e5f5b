"""“We take part in this partnership”: a school, trust or LA proposes itself as a member of a
published partnership; the moderator sees the member in the review and approves it (the
membership is created, with history and a change-log row) or rejects it, as any suggestion."""

import pytest

from partnerships import moderation
from partnerships.models import ChangeLogEntry, Membership, OutboxMessage, Partnership, Suggestion
from tests.factories import SUBMITTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def take_part(client, path="/partnerships/learn-sheffield/take-part/", **changes):
    data = {"member_kind": "trust", "member_identifier": "9001", "role": "member", **SUBMITTER}
    data.update(changes)
    return client.post(path, data)


def test_links_from_trust_school_and_partnership_pages(client, partnerships, register):
    trust = client.get("/trusts/9001/").content.decode()
    assert 'href="/take-part/?trust=9001"' in trust
    assert "/suggest/?la=" not in trust  # no longer a new-partnership form with its LAs
    school = client.get("/schools/143599/").content.decode()
    assert 'href="/take-part/?school=143599"' in school
    partnership = client.get("/partnerships/learn-sheffield/").content.decode()
    assert 'href="/partnerships/learn-sheffield/take-part/"' in partnership


def test_the_form_is_filled_in_from_the_link(client, partnerships, register):
    html = client.get("/take-part/?trust=9001").content.decode()
    assert 'value="9001"' in html and 'value="trust" required id="id_member_kind_1" checked' in html
    assert 'name="partnership"' in html and "Learn Sheffield" in html
    fixed = client.get("/partnerships/learn-sheffield/take-part/?school=143599").content.decode()
    assert 'name="partnership"' not in fixed and 'value="143599"' in fixed
    assert "Tell us you take part in Learn Sheffield" in fixed


def test_a_trust_says_it_takes_part_and_the_moderator_approves(
    client, moderator_client, partnerships, register, moderator
):
    response = take_part(client, evidence_urls="https://example.org/members")
    assert response.status_code == 302, response.content.decode()[:3000]
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == Suggestion.Kind.MEMBERSHIP
    assert suggestion.partnership.slug == "learn-sheffield"
    assert suggestion.proposed == {"member": "trust:9001", "role": "member"}
    assert sorted(m.to for m in OutboxMessage.objects.all()) == [
        "alex@example.org",
        "moderator@example.org",
    ]
    assert not Membership.objects.filter(trust_id=9001).exists()

    review = moderator_client.get(f"/admin/partnerships/suggestion/{suggestion.pk}/change/")
    html = review.content.decode()
    member = html[html.index('id="proposed-member"') :][:1200]
    assert "Example Multi-Academy Trust 1" in member and "group UID 9001" in member
    assert 'href="/trusts/9001/"' in member and "“member”" in member
    assert "Not listed as a member" in html

    moderator_client.post(
        f"/admin/partnerships/suggestion/{suggestion.pk}/change/",
        {"action": "approve", "fields": ["member", "role"]},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    membership = Membership.objects.get(trust_id=9001)
    assert membership.partnership.slug == "learn-sheffield"
    assert (membership.kind, membership.name, membership.role) == (
        "trust",
        "Example Multi-Academy Trust 1",
        "member",
    )
    history = membership.history.get()
    assert history.history_user == moderator
    assert suggestion.reference in history.history_change_reason
    entry = ChangeLogEntry.objects.get(suggestion=suggestion)
    assert entry.fields == ["members"]
    partnership = Partnership.objects.get(slug="learn-sheffield")
    assert "https://example.org/members" in [s.url for s in partnership.sources.all()]
    page = client.get("/partnerships/learn-sheffield/").content.decode()
    assert 'href="/trusts/9001/">Example Multi-Academy Trust 1</a>' in page
    assert "Changed: Members" in page
    approval = OutboxMessage.objects.filter(subject__contains="published").get()
    assert "/partnerships/learn-sheffield/" in approval.body


def test_a_school_chooses_the_partnership_and_can_be_rejected(
    client, moderator, partnerships, register
):
    response = take_part(
        client,
        path="/take-part/?school=143599",
        partnership="learn-sheffield",
        member_kind="school",
        member_identifier="143599",
        role="",
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.proposed == {"member": "school:143599"}
    moderation.reject(suggestion.pk, moderator, "No evidence that it takes part.")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert not Membership.objects.filter(school_id=143599).exists()


def test_a_local_authority_can_take_part(client, moderator, partnerships):
    response = take_part(
        client,
        path="/partnerships/cumbria-alliance-of-system-leaders/take-part/",
        member_kind="local_authority",
        member_identifier="e09000007",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion = Suggestion.objects.get()
    moderation.approve(suggestion.pk, moderator)
    membership = Membership.objects.get(
        partnership__slug="cumbria-alliance-of-system-leaders",
        local_authority__ons_code="E09000007",
    )
    assert membership.kind == "local_authority"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"member_kind": ""}, "Choose whether it is a school, a trust or a local authority"),
        ({"member_identifier": ""}, "Enter the school&#x27;s URN, the trust&#x27;s UID"),
        ({"member_identifier": "90x"}, "Enter the group UID as a number"),
        ({"member_identifier": "123"}, "No trust with the group UID 123 is in the register"),
        ({"member_kind": "school", "member_identifier": "999999"}, "No school with the URN 999999"),
        ({"member_kind": "local_authority", "member_identifier": "E0"}, "is not the code of one"),
        ({"member_kind": "charity"}, "Choose one of the options given (charity is not one)"),
        ({"role": "x" * 301}, "must be 300 characters or fewer"),
    ],
)
def test_bad_members_get_specific_errors(client, partnerships, register, changes, message):
    response = take_part(client, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_member_already_listed_is_refused(client, partnerships, register):
    Membership.objects.create(
        partnership=Partnership.objects.get(slug="learn-sheffield"),
        kind="trust",
        trust_id=9001,
        name="Example Multi-Academy Trust 1",
    )
    response = take_part(client)
    assert "is already listed as a member of Learn Sheffield" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_partnership_must_be_chosen_and_published(client, partnerships, register):
    response = take_part(client, path="/take-part/")
    assert "Choose the partnership it takes part in" in response.content.decode()
    Partnership.objects.filter(slug="cumbria-alliance-of-system-leaders").update(published=False)
    response = take_part(
        client, path="/take-part/", partnership="cumbria-alliance-of-system-leaders"
    )
    assert "Choose one of the options given" in response.content.decode()
    assert (
        client.get("/partnerships/cumbria-alliance-of-system-leaders/take-part/").status_code == 404
    )


def test_membership_suggestions_share_the_suggestion_limit(
    client, partnerships, register, settings
):
    settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR = 1
    assert take_part(client).status_code == 302
    refused = take_part(client, member_kind="school", member_identifier="143599")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "in an hour" in html and 'value="143599"' in html
    assert Suggestion.objects.count() == 1


def test_moderators_find_suggestions_by_submitter_name(moderator_client, partnerships, register):
    take_part(moderator_client)
    found = moderator_client.get("/admin/partnerships/suggestion/?q=Alex+Example")
    assert Suggestion.objects.get().reference in found.content.decode()
    nothing = moderator_client.get("/admin/partnerships/suggestion/?q=Nobody+Else")
    assert Suggestion.objects.get().reference not in nothing.content.decode()
