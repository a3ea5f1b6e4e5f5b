"""Source link health: the weekly check of every cited address, against a local web server
started here (200, a 301 chain, 404, 410, 500, too slow, connection refused, a TLS error),
what it records, and where moderators and visitors see it."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from api_core.data_version import data_version_state
from partnerships.link_health import (
    LinkResult,
    check_cited_links,
    check_urls,
    cited_urls,
    record_results,
)
from partnerships.models import LAResearch, LinkCheck, Partnership, Source
from partnerships_map.celery import app
from tests.link_server import LinkServer
from tests.ports import free_port

TIMEOUT = 0.5


@pytest.fixture
def server():
    with LinkServer() as running:
        yield running


def checked(server, path, scheme="http"):
    [result] = check_urls([server.url(path, scheme)], workers=1, timeout=TIMEOUT)
    return result


def test_a_working_page(server):
    result = checked(server, "/ok")
    assert (result.status_code, result.error, result.redirects) == (200, "", [])
    assert result.final_url == server.url("/ok") and result.works
    method, _, agent = server.seen[0]
    assert method == "HEAD"
    assert agent.startswith("EducationPartnershipsMap-LinkChecker/") and "/about/" in agent


def test_a_redirect_chain_is_followed_and_recorded(server):
    result = checked(server, "/moved/3")
    assert result.redirects == [
        [301, server.url("/moved/2")],
        [301, server.url("/moved/1")],
        [301, server.url("/ok")],
    ]
    assert (result.status_code, result.final_url, result.works) == (200, server.url("/ok"), True)


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/gone", 410), ("/broken", 500)])
def test_error_answers_are_not_working(server, path, status):
    result = checked(server, path)
    assert (result.status_code, result.error, result.works) == (status, "", False)


def test_a_server_that_refuses_head_is_asked_with_get(server):
    result = checked(server, "/no-head")
    assert (result.status_code, result.works) == (200, True)
    assert [method for method, *_ in server.seen] == ["HEAD", "GET"]


def test_a_site_that_turns_the_checker_away_is_not_called_broken(server):
    result = checked(server, "/forbidden")
    assert result.status_code == 403 and result.works


def test_too_slow_refused_tls_and_loops(server):
    slow = checked(server, "/slow")
    assert slow.error == f"no answer within {TIMEOUT:g} s" and not slow.works
    [refused] = check_urls([f"http://127.0.0.1:{free_port()}/"], workers=1, timeout=TIMEOUT)
    assert refused.error == "connection refused" and refused.status_code is None
    tls = checked(server, "/ok", scheme="https")  # a plain-HTTP server behind https://
    assert tls.error == "TLS error" and not tls.works
    loop = checked(server, "/loop")
    assert loop.error == "more than 10 redirects"


def test_concurrency_is_bounded(server):
    urls = [server.url(f"/page/{n}") for n in range(30)] + [server.url("/slow")] * 6
    results = check_urls(urls, workers=3, timeout=5)
    assert [r.url for r in results] == urls  # in order
    assert all(r.works for r in results)
    assert 1 < server.load["most"] <= 3


DAY = datetime.timedelta(days=7)
NOW = datetime.datetime(2027, 1, 4, 4, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_failures_are_dated_from_the_first_and_cleared_when_it_works():
    url = "https://www.learnsheffield.co.uk/"
    record_results([LinkResult(url, status_code=404, final_url=url)], now=NOW)
    record_results([LinkResult(url, error="connection refused", final_url=url)], now=NOW + DAY)
    check = LinkCheck.objects.get(url=url)
    assert (check.first_failed, check.last_ok, check.last_checked) == (NOW, None, NOW + DAY)
    assert check.error == "connection refused" and check.broken
    record_results([LinkResult(url, status_code=200, final_url=url)], now=NOW + 2 * DAY)
    check.refresh_from_db()
    assert (check.first_failed, check.last_ok) == (None, NOW + 2 * DAY)
    record_results([LinkResult(url, status_code=500, final_url=url)], now=NOW + 3 * DAY)
    check.refresh_from_db()
    assert (check.first_failed, check.last_ok) == (NOW + 3 * DAY, NOW + 2 * DAY)


@pytest.mark.django_db
def test_addresses_no_longer_cited_are_dropped():
    old, kept = "https://example.org/old", "https://example.org/kept"
    record_results([LinkResult(old, status_code=200), LinkResult(kept, status_code=200)], now=NOW)
    record_results([LinkResult(kept, status_code=404)], now=NOW + DAY, cited=[kept])
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [kept]


def point_sources_at(server, partnerships, la_research):
    """Learn Sheffield's first source and Sheffield's research record's first source
    answer 404 on the local server; every other cited address answers 200."""
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    sources = list(sheffield.sources.all())
    for n, source in enumerate(sources):
        Source.objects.filter(pk=source.pk).update(url=server.url(f"/page/p{n}"))
    Source.objects.filter(pk=sources[0].pk).update(url=server.url("/missing"))
    Source.objects.exclude(partnership=sheffield).update(url=server.url("/ok"))
    for research in LAResearch.objects.exclude(sources=[]):
        research.sources = [
            {**s, "url": server.url(f"/r/{research.pk}/{n}")}
            for n, s in enumerate(research.sources)
        ]
        research.save(update_fields=["sources"])
    research = LAResearch.objects.get(local_authority__ons_code="E08000019")
    research.sources[0]["url"] = server.url("/gone")
    research.save(update_fields=["sources"])
    return sheffield, research


@pytest.mark.django_db
def test_the_weekly_run_checks_every_cited_address_once(
    server, partnerships, la_research, client, admin_user
):
    sheffield, research = point_sources_at(server, partnerships, la_research)
    urls = cited_urls()
    assert server.url("/missing") in urls and server.url("/gone") in urls
    assert len(urls) == len(set(urls))
    before = data_version_state()
    summary = check_cited_links(workers=4, timeout=2)
    assert summary == {"checked": len(urls), "not_working": 2}
    assert data_version_state() != before
    assert sorted(
        LinkCheck.objects.filter(first_failed__isnull=False).values_list("url", flat=True)
    ) == sorted([server.url("/gone"), server.url("/missing")])
    # The public pages mark the source, and still list it.
    page = client.get("/partnerships/learn-sheffield/").content.decode()
    assert page.count("link not working since") == 1
    assert f'href="{server.url("/missing")}"' in page
    area = client.get("/areas/E08000019/").content.decode()
    assert area.count("link not working since") == 1
    assert f'href="{server.url("/gone")}"' in area
    # The admin lists them per record, and filters the records that have them.
    client.force_login(admin_user)
    change = client.get(f"/admin/partnerships/partnership/{sheffield.pk}/change/")
    assert "Source links not working" in change.content.decode()
    assert f"{server.url('/missing')}</a>: not working since" in change.content.decode()
    assert "HTTP 404" in change.content.decode()
    listed = client.get("/admin/partnerships/partnership/", {"links": "broken"}).content.decode()
    assert (
        "Learn Sheffield" in listed
        and Partnership.objects.exclude(pk=sheffield.pk).get().name not in listed
    )
    research_list = client.get("/admin/partnerships/laresearch/", {"links": "broken"})
    assert research_list.context["cl"].result_count == 1
    research_change = client.get(f"/admin/partnerships/laresearch/{research.pk}/change/")
    assert "HTTP 410" in research_change.content.decode()
    checks = client.get("/admin/partnerships/linkcheck/")
    assert checks.status_code == 200 and checks.context["cl"].result_count == len(urls)


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_the_weekly_check():
    DatabaseScheduler(app=app, lazy=True).setup_schedule()
    task = PeriodicTask.objects.get(name="check-source-links")
    assert task.task == "partnerships.tasks.check_source_links"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "4", "1")
