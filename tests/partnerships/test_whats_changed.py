"""What changed: the public page of approved changes across England and its Atom feeds
(everything, per area, per partnership, per trust), read from the change log written at
approval. Feeds are parsed as XML; nothing unpublished and nothing personal shows."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from partnerships import moderation
from partnerships.models import ChangeLogEntry, LAResearch, Membership, Partnership, Suggestion
from tests.factories import amendment, research_amendment

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SHEFFIELD = "E08000019"
KENT = "E10000016"
MERTON = "E09000024"


def atom(client, url):
    """The feed at `url`, parsed; its entries as (title, link, id, updated)."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text and root.find(f"{ATOM}updated").text
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link").get("href")
        ident = entry.find(f"{ATOM}id").text
        updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert link.startswith("http://testserver/") and ident.startswith("http://")
        entries.append((entry.find(f"{ATOM}title").text, link, ident, updated))
    assert len({ident for _, _, ident, _ in entries}) == len(entries)  # ids are unique
    return entries


def titles(entries):
    return [title for title, *_ in entries]


def approve_sheffield_ceased(client, moderator):
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    client.post(
        "/partnerships/learn-sheffield/suggest/",
        amendment(sheffield, status="ceased", submitter_email="someone@example.org"),
    )
    suggestion = Suggestion.objects.get(status="pending")
    moderation.approve(suggestion.pk, moderator, fields=["status"])
    return sheffield


def test_the_page_lists_approved_changes_newest_first(client, partnerships, moderator):
    approve_sheffield_ceased(client, moderator)
    page = client.get("/changes/")
    assert page.status_code == 200
    html = page.content.decode()
    changed = html.index("Learn Sheffield</a>: Changed: Status")
    assert changed < html.index("Learn Sheffield</a>: Added to the map")
    assert Partnership.objects.exclude(slug="learn-sheffield").get().name in html
    assert "someone@example.org" not in html
    entry = ChangeLogEntry.objects.filter(fields=["status"]).get()
    assert f'href="/partnerships/learn-sheffield/#change-{entry.pk}"' in html
    # The partnership's page carries the anchor the link points to.
    detail = client.get("/partnerships/learn-sheffield/").content.decode()
    assert f'id="change-{entry.pk}"' in detail


def test_the_page_filters_by_area_and_date(client, partnerships):
    casl = Partnership.objects.exclude(slug="learn-sheffield").get()
    in_sheffield = client.get("/changes/", {"area": SHEFFIELD}).content.decode()
    assert "Learn Sheffield" in in_sheffield and casl.name not in in_sheffield
    assert "What changed in Sheffield" in in_sheffield
    assert f'href="/areas/{SHEFFIELD}/changes/feed/"' in in_sheffield
    ChangeLogEntry.objects.filter(partnership=casl).update(
        changed_at=datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    )
    january = client.get("/changes/", {"since": "2026-01-01", "until": "2026-01-31"})
    html = january.content.decode()
    assert casl.name in html and "Learn Sheffield" not in html
    later = client.get("/changes/", {"since": "2026-02-01"}).content.decode()
    assert casl.name not in later and "Learn Sheffield" in later


@pytest.mark.parametrize(
    "query, message",
    [
        ({"area": "E99999999"}, "E99999999 is not the code of a current local authority"),
        ({"since": "last tuesday"}, "Enter a valid date."),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "on or after the start date"),
    ],
)
def test_bad_filters_get_a_clear_error(client, partnerships, query, message):
    response = client.get("/changes/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unpublished_partnerships_are_never_told_of(client, partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(published=False)
    assert "Learn Sheffield" not in client.get("/changes/").content.decode()
    assert "Learn Sheffield" not in str(titles(atom(client, "/changes/feed/")))
    assert client.get(f"/areas/{SHEFFIELD}/changes/feed/").status_code == 200
    assert not atom(client, f"/areas/{SHEFFIELD}/changes/feed/")
    assert client.get("/partnerships/learn-sheffield/changes/feed/").status_code == 404


def test_the_feed_of_everything_moves_with_an_approval(client, partnerships, moderator):
    before = atom(client, "/changes/feed/")
    assert "Learn Sheffield: Added to the map" in titles(before)
    approve_sheffield_ceased(client, moderator)
    after = atom(client, "/changes/feed/")
    assert titles(after)[0] == "Learn Sheffield: Changed: Status"
    assert len(after) == len(before) + 1
    assert after[0][3] >= max(updated for *_, updated in before)
    assert "someone@example.org" not in client.get("/changes/feed/").content.decode()


def test_per_area_and_per_partnership_feeds(client, partnerships, moderator):
    approve_sheffield_ceased(client, moderator)
    area = titles(atom(client, f"/areas/{SHEFFIELD}/changes/feed/"))
    assert area == ["Learn Sheffield: Changed: Status", "Learn Sheffield: Added to the map"]
    assert not atom(client, f"/areas/{MERTON}/changes/feed/")
    own = titles(atom(client, "/partnerships/learn-sheffield/changes/feed/"))
    assert own == area
    assert client.get("/areas/E99999999/changes/feed/").status_code == 404


def test_an_area_feed_tells_of_its_research_record(client, partnerships, la_research, moderator):
    merton = LAResearch.objects.get(local_authority__ons_code=MERTON)
    client.post(
        f"/areas/{MERTON}/research/suggest/",
        research_amendment(merton, summary="Termly clusters."),
    )
    moderation.approve(Suggestion.objects.get().pk, moderator)
    entries = atom(client, f"/areas/{MERTON}/changes/feed/")
    [(title, link, *_)] = [e for e in entries if "Changed" in e[0]]
    assert title == "What we know about Merton: Changed: Summary"
    entry = merton.change_log.first()
    assert link == f"http://testserver/areas/{MERTON}/#change-{entry.pk}"
    assert f'id="change-{entry.pk}"' in client.get(f"/areas/{MERTON}/").content.decode()


def test_a_trust_feed_follows_the_partnerships_naming_it(client, partnerships, register, moderator):
    from geodata.models import Trust

    trust = Trust.objects.order_by("uid").first()
    assert not atom(client, f"/trusts/{trust.uid}/changes/feed/")
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    Membership.objects.create(partnership=sheffield, kind="trust", trust=trust, name=trust.name)
    approve_sheffield_ceased(client, moderator)
    assert titles(atom(client, f"/trusts/{trust.uid}/changes/feed/"))[0] == (
        "Learn Sheffield: Changed: Status"
    )
    assert client.get("/trusts/1/changes/feed/").status_code == 404


def test_each_page_links_its_feed(client, partnerships, register):
    from geodata.models import Trust

    trust = Trust.objects.order_by("uid").first()
    pages = {
        "/partnerships/learn-sheffield/": "/partnerships/learn-sheffield/changes/feed/",
        f"/areas/{SHEFFIELD}/": f"/areas/{SHEFFIELD}/changes/feed/",
        f"/trusts/{trust.uid}/": f"/trusts/{trust.uid}/changes/feed/",
        "/changes/": "/changes/feed/",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html, page
        assert client.get(feed).status_code == 200


def test_an_approved_research_change_is_on_the_public_page(
    client, partnerships, la_research, moderator
):
    merton = LAResearch.objects.get(local_authority__ons_code=MERTON)
    client.post(
        f"/areas/{MERTON}/research/suggest/",
        research_amendment(merton, summary="Termly clusters (test)."),
    )
    moderation.approve(Suggestion.objects.get().pk, moderator)
    entry = ChangeLogEntry.objects.filter(research=merton, fields=["summary"]).get()
    html = client.get("/changes/").content.decode()
    assert f'href="/areas/{MERTON}/#change-{entry.pk}"' in html
    assert "What we know about Merton</a>: Changed: Summary" in html
    area = client.get(f"/areas/{MERTON}/").content.decode()
    assert f'id="change-{entry.pk}"' in area
    filtered = client.get(f"/changes/?area={MERTON}").content.decode()
    assert "What we know about Merton" in filtered


def test_a_membership_approval_is_on_the_public_page(client, partnerships, register, moderator):
    client.post(
        "/partnerships/learn-sheffield/take-part/",
        {
            "member_kind": "trust",
            "member_identifier": "9001",
            "submitter_name": "Alex Example",
            "submitter_email": "alex@example.org",
        },
    )
    moderation.approve(Suggestion.objects.get().pk, moderator)
    html = client.get("/changes/").content.decode()
    assert "Learn Sheffield</a>: Changed: Members" in html
    assert "Learn Sheffield: Changed: Members" in titles(atom(client, "/trusts/9001/changes/feed/"))
