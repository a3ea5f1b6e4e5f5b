"""The moderator's worklist: each count, and the admin list it links to shows exactly
those records."""

import datetime

import pytest
from django.utils import timezone

from partnerships.link_health import LinkResult, record_results
from partnerships.models import LAResearch, Partnership, Source, Suggestion
from tests.factories import NEW

pytestmark = pytest.mark.django_db


def counts(client):
    page = client.get("/admin/worklist/")
    assert page.status_code == 200
    return {item["label"]: item for item in page.context["items"]}


def test_each_count_links_to_the_list_of_those_records(
    client, admin_user, partnerships, la_research
):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    client.post("/suggest/", NEW)
    client.post(
        "/data/api/key/",
        {
            "submitter_name": "Robin Researcher",
            "submitter_email": "robin@example.org",
            "intended_use": "A dashboard of partnerships by region.",
        },
    )
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    casl = Partnership.objects.exclude(pk=sheffield.pk).get()
    Partnership.objects.filter(pk=sheffield.pk).update(last_verified=long_ago, status="unknown")
    Partnership.objects.filter(pk=casl.pk).update(last_verified=today)
    assert casl.status == "unknown"  # as its sources leave it
    LAResearch.objects.update(last_verified=today)
    LAResearch.objects.filter(local_authority__ons_code="E08000007").update(
        last_verified=long_ago, none_found_on=long_ago
    )
    source = Source.objects.filter(partnership=casl).first()
    record_results([LinkResult(source.url, status_code=404)])
    client.force_login(admin_user)
    items = counts(client)
    expected = {
        "Suggestions waiting for a decision": 1,
        "Requests for an API key waiting for a decision": 1,
        "Verification requests awaiting an answer": 0,
        "Published partnerships not verified for 12 months": 1,
        "LA research records not verified for 12 months": 1,
        "Published partnerships whose status is unknown": 2,
        "Partnerships citing a link that is not working": 1,
        "LA research records citing a link that is not working": 0,
        "LA records with nothing found, searched more than 12 months ago": 1,
    }
    assert {label: item["count"] for label, item in items.items()} == expected
    for label, item in items.items():
        listed = client.get(item["url"])
        assert listed.status_code == 200, label
        assert listed.context["cl"].result_count == item["count"], label
    unknown = client.get(items["Published partnerships whose status is unknown"]["url"])
    assert set(unknown.context["cl"].result_list) == {sheffield, casl}
    assert Suggestion.objects.pending().count() == 1


def test_the_admin_home_links_the_worklist_and_others_are_kept_out(
    client, admin_user, moderator, django_user_model
):
    assert client.get("/admin/worklist/").status_code == 302  # to the login
    client.force_login(moderator)
    assert all(item["url"] for item in counts(client).values())
    # Staff without a moderator's permissions see the counts, and no links.
    staff = django_user_model.objects.create_user("staff", password="a-long-pass", is_staff=True)
    client.force_login(staff)
    assert not any(item["url"] for item in counts(client).values())
    client.force_login(admin_user)
    assert 'href="/admin/worklist/"' in client.get("/admin/").content.decode()
