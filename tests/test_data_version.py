"""Work done once per data version: every table behind an answer moves the version, so
cached pages and API lists change (ETag and content) whatever changed them."""

import select
import time

import pytest
from django.db import connection

from api_core.data_version import TRUST_SECONDS, current_data_version
from api_core.kept_answers import ANSWERS_CACHE, per_data_version
from geodata.models import Indicator, IndicatorValue, LocalAuthority, School, Trust
from partnerships.models import Membership, Partnership, Source

pytestmark = pytest.mark.django_db


def etag_and_body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["ETag"], response.content


def test_a_repeat_request_is_answered_304_from_the_etag(client, partnerships):
    etag, _ = etag_and_body(client, "/")
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    etag, _ = etag_and_body(client, "/api/v1/partnerships/")
    assert client.get("/api/v1/partnerships/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def change_partnership(sheffield):
    sheffield.summary = "Changed summary Z9."
    sheffield.save()


def change_membership(sheffield):
    Membership.objects.create(
        partnership=sheffield, kind="organisation", name="Member organisation Z9"
    )


def change_source(sheffield):
    Source.objects.create(partnership=sheffield, url="https://example.org/z9", title="Z9")


def change_areas(sheffield):
    sheffield.local_authorities.add(LocalAuthority.objects.get(dfe_code="370"))


@pytest.mark.parametrize(
    "change, url, marker",
    [
        (change_partnership, "/partnerships/learn-sheffield/", "Changed summary Z9."),
        (change_membership, "/partnerships/learn-sheffield/", "Member organisation Z9"),
        (change_source, "/api/v1/partnerships/", "https://example.org/z9"),
        (change_areas, "/api/v1/partnerships/?la=370", "learn-sheffield"),
    ],
)
def test_partnership_data_changes_move_pages_and_lists(client, partnerships, change, url, marker):
    before, body = etag_and_body(client, url)
    assert marker not in body.decode()
    change(Partnership.objects.get(slug="learn-sheffield"))
    after, body = etag_and_body(client, url)
    assert after != before and marker in body.decode()


def test_a_school_import_moves_the_area_page(client, partnerships):
    url = "/areas/E09000011/"  # Greenwich (DfE 203): three schools in the sample extract
    before, old_body = etag_and_body(client, url)
    from geodata.importers.gias import import_gias_file
    from tests.geodata.gias_files import SAMPLE

    import_gias_file(SAMPLE)
    after, body = etag_and_body(client, url)
    assert after != before and body != old_body
    assert School.objects.filter(local_authority__ons_code="E09000011").exists()


def test_register_and_indicator_changes_move_the_version(register, indicators):
    for change in [
        lambda: Trust.objects.update(name="Renamed trust"),
        lambda: School.objects.filter(pk=School.objects.first().pk).update(name="Renamed"),
        lambda: IndicatorValue.objects.filter(pk=IndicatorValue.objects.first().pk).update(value=1),
        lambda: Indicator.objects.update(year="2099"),
    ]:
        before = current_data_version()
        change()
        assert current_data_version() > before


def test_a_boundary_switch_moves_the_map_boundaries(client, partnerships):
    from geodata.boundary_sets import activate
    from geodata.models import BoundarySet

    url = "/map-data/local-authorities.geojson"
    before, _ = etag_and_body(client, url)
    activate(BoundarySet.objects.get(is_active=True))
    after, _ = etag_and_body(client, url)
    assert after != before


def test_bulk_sql_moves_the_version_too(partnerships):
    before = current_data_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partnerships_partnership SET website = ''")
    assert current_data_version() > before


def test_computations_are_kept_per_version(partnerships):
    calls = []
    assert per_data_version("z9", lambda: calls.append(1) or "value") == "value"
    assert per_data_version("z9", lambda: calls.append(1) or "value") == "value"
    assert len(calls) == 1
    Partnership.objects.update(website="")
    per_data_version("z9", lambda: calls.append(1) or "value")
    assert len(calls) == 2


def test_a_kept_computation_may_use_another(partnerships):
    """One kept value built from another (headline figures from coverage) in the same
    thread: before, the second waited for the lock the first held, for ever."""
    import threading

    outer = []

    def build():
        try:
            outer.append(
                per_data_version("z9 outer", lambda: per_data_version("z9 inner", lambda: 2))
            )
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=build, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outer == [2]


def test_the_map_works_for_a_client_that_spent_its_api_quota(
    client, partnerships, indicators, rate_limits
):
    rate_limits(anon="2/min")
    while client.get("/api/v1/partnerships/").status_code != 429:
        pass
    page = client.get("/")
    assert page.status_code == 200
    boundaries = page.context["boundaries_url"]
    features = client.get(boundaries).json()["features"]
    assert len(features) == 153
    assert client.get(boundaries)["Cache-Control"] == "public, max-age=31536000"
    own_page = client.get(
        "/api/v1/local-authorities/E08000019/similar/?method=dfe", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert own_page.status_code != 429
    assert client.get("/api/v1/partnerships/").status_code == 429


def test_a_repeat_answer_is_kept_whole_and_given_before_the_rest_of_the_stack(
    client, partnerships, django_assert_num_queries
):
    url = "/api/v1/partnerships/?page_size=5"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 200 and again.content == first.content
    for header in ("ETag", "Content-Type", "Content-Encoding", "Vary", "Cache-Control"):
        assert again[header] == first[header], header
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert again.has_header(header), header  # the outer middleware still runs
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding") and plain.json()["count"] > 0

    Partnership.objects.filter(slug="learn-sheffield").update(summary="Changed summary Z9.")
    changed = client.get("/api/v1/partnerships/?page_size=200")
    assert "Changed summary Z9." in changed.content.decode()
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"] != first["ETag"]


def test_the_costliest_answers_one_web_process_rendered_serve_every_other(
    client, partnerships, monkeypatch
):
    """Each worker keeps answers in its own memory; Redis shares those at addresses no query
    string can multiply (the map page, its boundaries, the open data, area and partnership
    pages, API lists at fixed addresses), so a worker that has not rendered one yet (its
    memory cleared, as in a new process) is given the one another made, with no query but
    the data version's, whatever query string a page is asked with (it reads none, so no
    query string can fill Redis). A filtered list is each process's own; without Redis it
    renders, asking Redis once."""
    from django.core.cache import caches
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from geodata.views import boundaries_url

    def rendered_here(url):
        caches[ANSWERS_CACHE].clear()  # another process: nothing of this one's
        with CaptureQueriesContext(db) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return [q["sql"] for q in queries if "geodata_dataversion" not in q["sql"]] != []

    shared = [
        "/",
        boundaries_url(),
        "/data/partnerships.csv",
        "/?la=E08000019",
        "/partnerships/learn-sheffield/",
        "/areas/E08000019/?x=1",
        "/api/v1/partnerships/?page_size=50",
    ]
    for url in shared:
        client.get(url)
        assert not rendered_here(url), url
    for url in ["/api/v1/partnerships/?la=E08000019"]:  # each process renders
        client.get(url)
        assert rendered_here(url), url

    asked = []

    def unreachable(cache):
        asked.append(cache)
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("api_core.kept_answers.redis_client", unreachable)
    assert rendered_here("/")
    assert len(asked) == 1  # one wait on Redis, not one per step


@pytest.mark.django_db(transaction=True)
def test_a_connection_a_database_restart_broke_is_replaced_by_the_next_request(client, boundaries):
    import psycopg

    assert client.get("/api/v1/local-authorities/").status_code == 200
    broken = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [broken])
        for _wait in range(100):  # the backend exits a moment after it is told to
            gone = "SELECT 1 FROM pg_stat_activity WHERE pid = %s"
            if other.execute(gone, [broken]).fetchone() is None:
                break
            time.sleep(0.05)
    assert client.get("/api/v1/local-authorities/").status_code == 200
    assert connection.connection.info.backend_pid != broken


@pytest.mark.django_db(transaction=True)
def test_a_process_learns_of_each_new_version_from_postgresql_without_asking(
    boundaries, django_assert_num_queries
):
    import psycopg

    from api_core.data_version import data_version_state

    connection.close()  # a new connection, as a web worker has: it LISTENs
    known = data_version_state()
    with django_assert_num_queries(0):
        assert data_version_state() == known
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("UPDATE geodata_localauthority SET name = name WHERE ons_code = 'E08000019'")
    # PostgreSQL sends the notification a moment after the other's commit: wait for it on
    # the socket, well within TRUST_SECONDS, so the move below is the notification's doing.
    socket = connection.connection.pgconn.socket
    assert select.select([socket], [], [], TRUST_SECONDS / 2)[0], "no notification came"
    moved = data_version_state()
    assert moved[0] > known[0]
    with django_assert_num_queries(0):
        assert data_version_state() == moved


@pytest.mark.django_db(transaction=True)
def test_through_a_pooler_in_transaction_mode_a_process_reads_the_version_every_second(
    boundaries, settings, django_assert_num_queries
):
    """PgBouncer in transaction mode (DATABASE_POOLER): a LISTEN would stay behind on
    whichever server connection ran it, so none is made, and what was read is trusted for
    TRUST_SECONDS only (the real PgBouncer: tests/test_topology.py)."""
    import psycopg

    from api_core.data_version import data_version_state

    settings.DATABASE_POOLER = "transaction"
    connection.close()  # a new connection, as a web worker behind PgBouncer has
    known = data_version_state()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_listening_channels()")
        assert cursor.fetchone()[0] == 0
    with django_assert_num_queries(0):
        assert data_version_state() == known
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("UPDATE geodata_localauthority SET name = name WHERE ons_code = 'E08000019'")
    time.sleep(TRUST_SECONDS)
    assert data_version_state()[0] > known[0]
