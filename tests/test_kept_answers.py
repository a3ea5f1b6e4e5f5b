"""Kept answers under load and attack: no query string or method makes a page render
again, one build of a shared answer however many ask, the last complete answer while a
worker builds the new one, a bounded memory, and a limit on renders per client."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api_core import kept_answers
from api_core.kept_answers import ANSWERS_CACHE, SHARED_ANSWERS_CACHE, MemoryCache
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

AREA, PARTNERSHIP = "/areas/E08000019/", "/partnerships/learn-sheffield/"
API_LIST = "/api/v1/partnerships/?page_size=50"


def rendering_queries(client, url, method="get"):
    """The queries a request ran besides reading the data version: none if it rendered
    nothing."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    return response, [q["sql"] for q in queries if "geodata_dataversion" not in q["sql"]]


@pytest.fixture
def nothing_shared():
    caches[SHARED_ANSWERS_CACHE].clear()
    yield
    caches[SHARED_ANSWERS_CACHE].clear()


@pytest.mark.parametrize(
    "path", ["/areas/E08000019/", "/data/", "/data/schools.csv", "/partnerships/learn-sheffield/"]
)
def test_a_query_string_the_page_does_not_read_renders_nothing(client, partnerships, path):
    first = client.get(path)
    assert first.status_code == 200
    for junk in ["?x=1", "?x=2&y=3", "?utm_source=mail"]:
        again, rendering = rendering_queries(client, path + junk)
        assert again.status_code == 200
        assert again["ETag"] == first["ETag"], junk
        assert rendering == [], junk


@pytest.mark.parametrize("path", ["/areas/E08000019/", "/data/", "/", "/data/schools.csv"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "options", "trace"])
def test_no_other_method_makes_a_kept_answer_render(client, partnerships, path, method):
    response, rendering = rendering_queries(client, path, method)
    if method == "options" and path.endswith(".csv"):
        assert response.status_code == 200  # DRF's own description of the download
    else:
        assert response.status_code == 405
        allowed = set(response["Allow"].replace(" ", "").split(","))
        assert allowed - {"OPTIONS"} == {"GET", "HEAD"}
    assert rendering == []


@pytest.mark.django_db(transaction=True)
def test_one_build_of_a_shared_answer_however_many_ask(boundaries, nothing_shared, monkeypatch):
    """Eight visitors at once, each on its own connection as web workers are: one builds
    (slowly), the others wait for its answer."""
    real, builds = kept_answers.built, []

    def slow(render, state):
        builds.append(state)
        time.sleep(0.5)
        return real(render, state)

    monkeypatch.setattr(kept_answers, "built", slow)
    answers = []

    def visit():
        answers.append(Client().get("/data/", HTTP_ACCEPT_ENCODING="gzip"))
        connection.close()

    visitors = [threading.Thread(target=visit) for _ in range(8)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert len(builds) == 1
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a["ETag"] for a in answers}) == 1
    assert len({a.content for a in answers}) == 1


@pytest.fixture
def stale_for_a_minute(settings, nothing_shared):
    """Stale answers allowed, and each request asks Redis again (tests that need the
    middleware's brief memo of a stale answer set `KEPT_ANSWER_STALE_RECHECK`)."""
    settings.KEPT_ANSWER_MAX_STALE = 60
    settings.KEPT_ANSWER_STALE_RECHECK = 0


@pytest.fixture
def queued(monkeypatch):
    """Rebuilds asked of the worker."""
    from api_core.tasks import rebuild_kept_answers

    asked = []
    monkeypatch.setattr(rebuild_kept_answers, "apply_async", lambda **kw: asked.append(kw))
    ask = kept_answers.ask_for_rebuild

    def awaited(shared, state):  # queued from a thread: counted once it is sent
        sending = ask(shared, state)
        if sending is not None:
            sending.result()
        return sending

    monkeypatch.setattr(kept_answers, "ask_for_rebuild", awaited)
    return asked


def test_the_visitor_who_meets_a_change_does_not_wait_for_the_broker(
    client, partnerships, stale_for_a_minute, monkeypatch
):
    """A process's first message to the broker opens its connection: sent from a thread."""
    from api_core.tasks import rebuild_kept_answers

    sent = threading.Event()

    def slow_broker(**kwargs):
        time.sleep(1)
        sent.set()

    monkeypatch.setattr(rebuild_kept_answers, "apply_async", slow_broker)
    before = client.get(AREA)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    started = time.monotonic()
    stale = client.get(AREA)
    assert time.monotonic() - started < 0.5
    assert stale["ETag"] == before["ETag"]
    assert sent.wait(5)  # queued all the same


def test_after_a_change_the_last_complete_answer_is_given_while_a_worker_builds(
    client, partnerships, stale_for_a_minute, queued
):
    url = "/data/partnerships.csv"
    before = client.get(url)
    assert before.status_code == 200 and "Renamed Z9" not in before.content.decode()
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")

    for _ in range(3):  # every visitor meanwhile: the last complete answer, at once
        stale, rendering = rendering_queries(client, url)
        assert stale.content == before.content
        assert stale["ETag"] == before["ETag"]  # the ETag of the version it belongs to
        assert int(stale["Age"]) >= 0
        assert "no-cache" in stale["Cache-Control"]
        assert rendering == []
    assert len(queued) == 1  # the rebuild is asked for once per data version

    assert kept_answers.rebuild_shared() >= 1  # what the worker does
    fresh = client.get(url)
    assert fresh["ETag"] != before["ETag"]
    assert "Renamed Z9" in fresh.content.decode()
    assert not fresh.has_header("Age")


def counted(monkeypatch):
    """From now on, (calls to Redis for shared answers, requests that went past the
    middleware's early answers to the page limit), as two growing lists."""
    redis_calls, past_routing = [], []
    real_run = kept_answers.Shared.run
    monkeypatch.setattr(
        kept_answers.Shared,
        "run",
        lambda self, steps: redis_calls.append(1) or real_run(self, steps),
    )
    real_limit = kept_answers.KeptAnswerMiddleware.over_the_page_limit
    monkeypatch.setattr(
        kept_answers.KeptAnswerMiddleware,
        "over_the_page_limit",
        staticmethod(lambda request: past_routing.append(1) or real_limit(request)),
    )
    return redis_calls, past_routing


@pytest.mark.parametrize("url", [AREA, "/data/partnerships.csv", API_LIST])
def test_a_last_complete_answer_is_given_again_before_routing_until_the_recheck(
    client, partnerships, stale_for_a_minute, queued, settings, monkeypatch, url
):
    """While the worker rebuilds, a stale answer costs no more than a kept one: given again
    before routing (no view, no Redis, no page limit) until `KEPT_ANSWER_STALE_RECHECK`
    passes; then Redis is asked again, and the new answer, once built, is given."""
    settings.KEPT_ANSWER_STALE_RECHECK = 0.5
    before = client.get(url)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    assert client.get(url)["ETag"] == before["ETag"]  # asked Redis: the last complete one

    redis_calls, past_routing = counted(monkeypatch)
    for _ in range(3):
        again, rendering = rendering_queries(client, url)
        assert again.content == before.content and again["ETag"] == before["ETag"]
        assert int(again["Age"]) >= 0 and "no-cache" in again["Cache-Control"]
        assert (rendering, redis_calls, past_routing) == ([], [], [])

    assert kept_answers.rebuild_shared() >= 1  # the worker's rebuild
    assert client.get(url)["ETag"] == before["ETag"]  # within the recheck: still the memo
    time.sleep(0.6)
    fresh = client.get(url)
    assert fresh["ETag"] != before["ETag"] and not fresh.has_header("Age")
    assert "Renamed Z9" in fresh.content.decode()
    assert redis_calls  # Redis was asked again


@pytest.mark.parametrize("stale_allowed", [True, False])
def test_an_answer_built_between_two_looks_is_given_not_built_again(
    client, partnerships, stale_for_a_minute, queued, monkeypatch, settings, stale_allowed
):
    """The worker keeps the new answer just after a visitor's process missed it: the visitor
    is given that answer, never a build of its own (nor the old one)."""
    if not stale_allowed:
        settings.KEPT_ANSWER_MAX_STALE = 0
    before = client.get(AREA)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    assert kept_answers.rebuild_shared() >= 1  # the worker's build, kept in Redis
    caches[ANSWERS_CACHE].clear()  # the worker is another process
    real_body, missed = kept_answers.Shared.body, []

    def first_look_misses(self, etag):
        if not missed:
            missed.append(etag)
            return None  # as if asked a moment before the worker kept it
        return real_body(self, etag)

    monkeypatch.setattr(kept_answers.Shared, "body", first_look_misses)
    after, rendering = rendering_queries(client, AREA)
    assert missed and rendering == []
    assert after["ETag"] != before["ETag"] and not after.has_header("Age")
    assert "Renamed Z9" in after.content.decode()


def test_right_after_a_change_a_shared_answer_is_given_stale_before_routing(
    client, partnerships, stale_for_a_minute, queued, settings, monkeypatch
):
    """In the first `KEPT_ANSWER_STALE_RECHECK` seconds after a change, a process gives the
    shared answer it kept of the version before without asking anything (the visitors who
    meet a change cost no more than a kept answer), said as stale; an answer kept only in
    this process (a filtered list) is never given stale."""
    settings.KEPT_ANSWER_STALE_RECHECK = 30
    filtered = "/api/v1/partnerships/?la=E08000019"
    before, before_filtered = client.get(AREA), client.get(filtered)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")

    redis_calls, past_routing = counted(monkeypatch)
    stale, rendering = rendering_queries(client, AREA)
    assert (rendering, redis_calls, past_routing) == ([], [], [])
    assert stale.content == before.content and stale["ETag"] == before["ETag"]
    assert int(stale["Age"]) >= 0 and stale["Cache-Control"] == "no-cache"
    assert not stale.has_header("Last-Modified") and before.has_header("Last-Modified")

    fresh = client.get(filtered)
    assert fresh["ETag"] != before_filtered["ETag"] and "Renamed Z9" in fresh.content.decode()

    settings.KEPT_ANSWER_STALE_RECHECK = 0  # past the first seconds: Redis is asked
    client.get(AREA)
    assert redis_calls


def test_a_last_complete_answer_is_not_given_again_past_the_staleness_limit(
    client, partnerships, stale_for_a_minute, queued, settings
):
    before = client.get(AREA)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    assert client.get(AREA)["ETag"] == before["ETag"]
    settings.KEPT_ANSWER_MAX_STALE = 0  # as when the version moved more than that ago
    fresh = client.get(AREA)
    assert fresh["ETag"] != before["ETag"] and not fresh.has_header("Age")
    assert "Renamed Z9" in fresh.content.decode()


def test_a_new_release_never_gives_what_the_old_one_rendered(
    client, partnerships, stale_for_a_minute, queued, monkeypatch
):
    """Pages name their static files by hashed names a new release may no longer have:
    answers are kept under the code release too, and an old release's answer is never
    given by a new one, not even as the last complete answer after a change."""
    url = "/areas/E08000019/"
    before = client.get(url)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    assert client.get(url)["ETag"] == before["ETag"]  # same release: given stale

    monkeypatch.setattr(kept_answers, "code_release", lambda: "the next release")
    caches[ANSWERS_CACHE].clear()  # the new release's web processes start empty
    after, rendering = rendering_queries(client, url)
    assert rendering != []  # rendered by the new code
    assert after["ETag"] != before["ETag"]
    assert not after.has_header("Age")
    assert "Renamed Z9" in after.content.decode()


def test_the_release_is_the_deployments_name_or_a_fingerprint_of_the_code(settings):
    from api_core import release

    release.code_release.cache_clear()
    fingerprint = release.code_release()
    assert len(fingerprint) == 12 and fingerprint == release.code_release()
    settings.RELEASE = "2026.12.07-1"
    release.code_release.cache_clear()
    assert release.code_release() == "2026.12.07-1"
    settings.RELEASE = ""
    release.code_release.cache_clear()
    assert release.code_release() == fingerprint


def test_past_the_staleness_limit_a_request_builds_the_answer_itself(
    client, partnerships, stale_for_a_minute, queued, settings
):
    url = "/data/partnerships.csv"
    client.get(url)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    settings.KEPT_ANSWER_MAX_STALE = 0  # as when the version moved more than that ago
    fresh = client.get(url)
    assert "Renamed Z9" in fresh.content.decode()
    assert not fresh.has_header("Age")


def test_a_failed_build_leaves_the_last_good_answer(
    client, partnerships, stale_for_a_minute, queued, monkeypatch, caplog
):
    url = "/data/partnerships.csv"
    before = client.get(url)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full Z9")

    monkeypatch.setattr("partnerships.downloads.csv_response", broken)
    assert kept_answers.rebuild_shared() == 0
    assert "disk full Z9" in caplog.text
    still = client.get(url)
    assert still.status_code == 200 and still.content == before.content


def test_the_worker_builds_what_a_request_would(client, partnerships, nothing_shared):
    """The rebuild asks for each shared address as a visitor would: same body, same ETag."""
    urls = ["/", "/data/", "/data/partnerships.csv", AREA, PARTNERSHIP, API_LIST]
    by_visitor = {url: client.get(url, HTTP_ACCEPT_ENCODING="gzip") for url in urls}
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    caches[ANSWERS_CACHE].clear()
    assert kept_answers.rebuild_shared() >= len(urls)
    for url, before in by_visitor.items():
        after = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert after["ETag"] != before["ETag"], url
        caches[ANSWERS_CACHE].clear()
        caches[SHARED_ANSWERS_CACHE].clear()
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # rendered by the request
        assert again["ETag"] == after["ETag"], url
        assert again.content == after.content, url


def test_a_client_that_makes_too_many_pages_render_waits(client, partnerships, rate_limits):
    rate_limits(renders="3/min")
    areas = ["E08000019", "E09000007", "E08000025", "E06000023"]
    answers = [client.get(f"/areas/{code}/") for code in areas]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "try again" in answers[-1].content.decode()
    assert client.get(f"/areas/{areas[0]}/").status_code == 200  # kept: no render
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(f"/areas/{areas[-1]}/").status_code == 200  # another client


def views_never_run(monkeypatch):
    """From now on, a request that reaches a kept page's or file's view fails the test."""

    def reached(*args, **kwargs):
        raise AssertionError("the request was routed to the view")

    monkeypatch.setattr(kept_answers, "kept_response", reached)
    monkeypatch.setattr("api_core.views.kept_response", reached)


@pytest.mark.parametrize("path", ["/areas/E08000019/", "/data/", "/data/partnerships.csv"])
def test_a_query_string_the_answer_ignores_is_answered_before_routing_keeping_nothing(
    client, partnerships, path, monkeypatch
):
    first = client.get(path)
    kept = len(caches[ANSWERS_CACHE]._cache)
    views_never_run(monkeypatch)
    for number in range(20):
        again = client.get(f"{path}?x={number}")
        assert again.status_code == 200 and again.content == first.content
        assert again["ETag"] == first["ETag"]
    assert len(caches[ANSWERS_CACHE]._cache) == kept  # no entry per new address


def test_a_query_string_the_answer_reads_is_not_answered_from_the_path_alone(client, partnerships):
    everything = client.get("/api/v1/partnerships/").json()["count"]
    assert everything == 2
    assert client.get("/api/v1/partnerships/?la=E08000039").json()["count"] == 1


def test_past_its_page_limit_a_client_is_answered_before_routing(
    client, partnerships, rate_limits, monkeypatch
):
    """Every GET or HEAD no kept answer serves counts (a render, or a new address), and a
    client past its limit gets a 429 before any routing, however costly the page."""
    rate_limits(renders="2/min")
    assert client.head("/areas/E08000019/").status_code == 200  # HEAD renders: counted
    assert client.get("/areas/E09000007/").status_code == 200
    assert client.get("/areas/E09000007/").status_code == 200  # kept: not counted
    views_never_run(monkeypatch)
    for path in ["/areas/E08000025/", "/trusts/0/", "/data/nothing.csv"]:
        refused = client.get(path)
        assert refused.status_code == 429, path
        assert 0 < int(refused["Retry-After"]) <= 60
    monkeypatch.undo()
    assert client.get("/api/v1/partnerships/?page_size=1").status_code == 200  # its own limits


def test_the_boundaries_the_pages_name_stay_immutable_whatever_was_asked_before(
    client, partnerships
):
    from geodata.views import boundaries_url

    bare = "/map-data/local-authorities.geojson"
    for url in [bare, bare + "?v=1.0", boundaries_url(), boundaries_url(), bare + "?v=2.0"]:
        answer = client.get(url)
        assert answer.status_code == 200, url
        immutable = answer["Cache-Control"] == "public, max-age=31536000"
        assert immutable == (url == boundaries_url()), url


def test_the_memory_of_kept_answers_is_bounded_in_bytes_and_entries():
    cache = MemoryCache("bounded-test", {"OPTIONS": {"MAX_BYTES": 10_000, "MAX_ENTRIES": 20}})
    cache.clear()
    for n in range(50):
        cache.set(f"k{n}", b"x" * 1000)
    held = [n for n in range(50) if cache.get(f"k{n}") is not None]
    assert 0 < len(held) <= 10
    assert held == list(range(50 - len(held), 50))  # the most recent stay
    cache.set("huge", b"x" * 20_000)
    assert cache.get("huge") is None  # larger than the whole budget: not kept
    for n in range(100):
        cache.set(f"small{n}", n)
    assert sum(cache.get(f"small{n}") is not None for n in range(100)) <= 20
    cache.set("brief", 1, timeout=0.01)
    time.sleep(0.05)
    assert cache.get("brief") is None
    cache.clear()


def csrf_token_in(response):
    import json
    import re

    found = re.search(
        r'<script type="application/json" id="drf_csrf">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))["csrfToken"] if found else None


def test_an_answer_for_someone_signed_in_is_never_kept_nor_given_to_anyone_else(
    client, partnerships, moderator
):
    """The browsable API shows a signed-in moderator a CSRF token: that page is theirs."""
    url = "/api/v1/partnerships/?page_size=2"
    signed_in = Client()
    signed_in.force_login(moderator)
    theirs = signed_in.get(url, HTTP_ACCEPT="text/html")
    assert theirs.status_code == 200
    token = csrf_token_in(theirs)
    assert token
    assert "private" in theirs["Cache-Control"] and "public" not in theirs["Cache-Control"]
    assert "Cookie" in theirs["Vary"]
    for _ in range(2):
        anonymous = client.get(url, HTTP_ACCEPT="text/html")
        assert anonymous.status_code == 200
        assert token not in anonymous.content.decode()
        assert csrf_token_in(anonymous) != token
    again = signed_in.get(url, HTTP_ACCEPT="text/html")
    assert csrf_token_in(again) and csrf_token_in(again) not in {csrf_token_in(anonymous)}


def test_a_body_that_sets_a_cookie_is_not_kept_for_the_next_visitor(client, partnerships):
    url = "/api/v1/partnerships/?page_size=2"
    first = Client().get(url, HTTP_ACCEPT="text/html")
    second = Client().get(url, HTTP_ACCEPT="text/html")
    assert first.cookies and second.cookies
    assert csrf_token_in(first) != csrf_token_in(second)
    assert "public" not in first.get("Cache-Control", "")


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_never_meets_an_answer_kept_before_the_restore(boundaries):
    """A backup restored under the running site brings back an older data version, and
    its sequence numbers the next change as the first change after the dump was numbered:
    the time the version moved tells the two apart."""
    from geodata.models import LocalAuthority

    url = "/api/v1/local-authorities/?page_size=200"
    sheffield = LocalAuthority.objects.filter(ons_code="E08000019")
    visitor = Client()
    with connection.cursor() as cursor:  # the dump
        cursor.execute("SELECT last_value FROM geodata_data_version_seq")
        (dumped_sequence,) = cursor.fetchone()
        cursor.execute("SELECT version, changed_at FROM geodata_dataversion")
        dumped_version = cursor.fetchone()
    sheffield.update(name="Sheffield Z9")
    assert "Sheffield Z9" in visitor.get(url).content.decode()  # kept by this process
    sheffield.update(name="Sheffield")  # the restore: the data as dumped...
    with connection.cursor() as cursor:  # ...and the version and its sequence as dumped
        cursor.execute(
            "UPDATE geodata_dataversion SET version = %s, changed_at = %s", dumped_version
        )
        cursor.execute("SELECT setval('geodata_data_version_seq', %s)", [dumped_sequence])
    sheffield.update(name="Sheffield")  # the first change after it: the same number again
    answer = visitor.get(url).content.decode()
    assert "Sheffield Z9" not in answer and "Sheffield" in answer


def test_the_similar_areas_browsable_page_is_the_visitors_own(client, partnerships, indicators):
    url = "/api/v1/local-authorities/E08000019/similar/"
    pages = [Client().get(url, HTTP_ACCEPT="text/html") for _ in range(2)]
    assert all(page.status_code == 200 for page in pages)
    assert csrf_token_in(pages[0]) != csrf_token_in(pages[1])
    assert all("private" in page["Cache-Control"] for page in pages)
    data = [client.get(url) for _ in range(2)]  # JSON carries nothing of the visitor: kept
    assert data[0]["ETag"] == data[1]["ETag"] and "public" in data[0]["Cache-Control"]


# After a change: every shared answer alike (issue 21, part 1)


def renders_counted(monkeypatch):
    """The renders of kept answers from now on (each one a view reached)."""
    real, renders = kept_answers.built, []

    def counted(render, state):
        renders.append(state)
        return real(render, state)

    monkeypatch.setattr(kept_answers, "built", counted)
    return renders


@pytest.mark.parametrize("url", [AREA, PARTNERSHIP, API_LIST, "/api/v1/partnerships/"])
def test_after_a_change_an_area_partnership_or_api_list_is_given_stale_without_rendering(
    client, partnerships, stale_for_a_minute, queued, monkeypatch, url
):
    before = client.get(url)
    assert before.status_code == 200 and "Renamed Z9" not in before.content.decode()
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    renders = renders_counted(monkeypatch)

    for _ in range(3):  # another process, or this one, meets the change
        caches[ANSWERS_CACHE].clear()
        stale, rendering = rendering_queries(client, url)
        assert stale.status_code == 200
        assert stale.content == before.content
        assert stale["ETag"] == before["ETag"]  # the version it belongs to
        assert int(stale["Age"]) >= 0
        assert rendering == []
    assert renders == []  # the view's work never ran
    assert len(queued) == 1

    assert kept_answers.rebuild_shared() >= 1  # the worker
    assert len(renders) >= 1
    caches[ANSWERS_CACHE].clear()
    fresh, rendering = rendering_queries(client, url)
    assert "Renamed Z9" in fresh.content.decode()
    assert fresh["ETag"] != before["ETag"] and not fresh.has_header("Age")
    assert rendering == []  # built by the worker, not by this request
    caches[ANSWERS_CACHE].clear()
    caches[SHARED_ANSWERS_CACHE].clear()
    assert client.get(url)["ETag"] == fresh["ETag"]  # the new version's, as a request makes it


@pytest.mark.parametrize("url", [AREA, API_LIST])
def test_a_failed_rebuild_of_an_area_or_api_list_keeps_the_last_good_answer(
    client, partnerships, stale_for_a_minute, queued, monkeypatch, caplog, url
):
    before = client.get(url)
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")

    def broken(render, state):
        raise RuntimeError("database gone Z9")

    monkeypatch.setattr(kept_answers, "built", broken)
    assert kept_answers.rebuild_shared() == 0
    assert "database gone Z9" in caplog.text
    caches[ANSWERS_CACHE].clear()
    still = client.get(url)
    assert still.status_code == 200 and still.content == before.content
    assert still["ETag"] == before["ETag"]


def test_the_worker_rebuilds_what_visitors_asked_for_most_and_no_more(
    client, partnerships, nothing_shared, settings, monkeypatch
):
    """Demand is counted once per process and data version (here: a cleared memory
    stands for another process); a 404 is no demand; at most KEPT_ANSWER_REBUILD_MOST
    answers are built, the most asked first."""
    for url, processes in [(AREA, 3), (PARTNERSHIP, 2), ("/data/", 1)]:
        for _ in range(processes):
            caches[ANSWERS_CACHE].clear()
            assert client.get(url).status_code == 200
            assert client.get(url).status_code == 200  # kept in this process: not counted
    assert client.get("/areas/E99999999/").status_code == 404
    Partnership.objects.filter(slug="learn-sheffield").update(name="Renamed Z9")
    built_paths = []
    real = kept_answers.built

    def recorded(render, state):
        built_paths.append(render)
        return real(render, state)

    monkeypatch.setattr(kept_answers, "built", recorded)
    settings.KEPT_ANSWER_REBUILD_MOST = 2
    assert kept_answers.rebuild_shared() == 2
    caches[ANSWERS_CACHE].clear()
    renders = renders_counted(monkeypatch)
    for url in [AREA, PARTNERSHIP]:
        assert "Renamed Z9" in client.get(url).content.decode()
    assert renders == []  # both built by the worker
    client.get("/data/")
    assert len(renders) == 1  # the least asked for was left to a visitor

    locations = kept_answers.Shared().most_asked(10)  # what the next rebuild would build
    assert {location["path"] for location in locations} == {AREA, PARTNERSHIP, "/data/"}


@pytest.mark.parametrize(
    "query, accept, fixed",
    [
        ("", "", True),
        ("?page_size=50", "*/*", True),
        ("?page=2&page_size=500&format=json", "application/json", True),
        ("?page_size=7", "", False),  # any page size would make as many addresses
        ("?page=02", "", False),
        ("?la=E08000019", "", False),  # filters: unbounded
        ("?page=1&page=2", "", False),
        ("", "application/json; x=1", False),  # any Accept would, too
    ],
)
def test_only_api_lists_at_fixed_addresses_are_shared(rf, query, accept, fixed):
    from api_core.views import at_a_fixed_address

    request = rf.get("/api/v1/partnerships/" + query, HTTP_ACCEPT=accept)
    assert at_a_fixed_address(request) == fixed


def test_a_filtered_api_list_stays_in_the_process_that_answers_it(
    client, partnerships, nothing_shared
):
    assert client.get("/api/v1/partnerships/?la=E08000019").status_code == 200
    assert kept_answers.Shared().most_asked(10) == []
