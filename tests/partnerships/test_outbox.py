"""A suggestion survives a Redis outage; its emails go out once Redis is back."""

import shutil
import subprocess
import threading
import time

import pytest
import redis
from django.core import mail
from kombu import pools

from partnerships.models import OutboxMessage, Suggestion
from partnerships_map.celery import app
from tests.factories import NEW, SUBMITTER
from tests.ports import free_port

pytestmark = pytest.mark.django_db


class RedisServer:
    """A throwaway redis-server of our own, so stopping it disturbs nothing else."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


def reset_broker_connections():
    """Forget pooled broker and result-backend connections, as a fresh process would."""
    pools.reset()
    app._after_fork()
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def broker(tmp_path):
    """Celery's broker *and* result backend on a Redis server the test can stop."""
    server = RedisServer(tmp_path)
    server.start()
    original = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = server.url
    reset_broker_connections()
    yield server
    app.conf.broker_url, app.conf.result_backend = original
    reset_broker_connections()
    if server.process.poll() is None:
        server.stop()


def queued_tasks(server):
    return redis.Redis(port=server.port).llen("celery")


def test_submission_is_saved_while_redis_is_down_and_mailed_when_it_is_back(
    client, partnerships, broker, django_capture_on_commit_callbacks
):
    broker.stop()
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/suggest/", NEW)
    took = time.perf_counter() - started
    assert response.status_code == 302
    print(f"visitor waited {took:.2f} s with Redis down")
    assert took < 1, f"the visitor waited {took:.1f} s"
    suggestion = Suggestion.objects.get()
    assert suggestion.status == "pending"
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 1
    assert mail.outbox == []

    broker.start()
    reset_broker_connections()
    from partnerships.tasks import send_outbox

    send_outbox.apply_async()  # what beat does every minute, now that Redis answers
    assert queued_tasks(broker) == 1
    assert send_outbox.apply().get() == 1  # the worker running it
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_dispatch_after_commit_reaches_the_broker(
    client, partnerships, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/suggest/", NEW)
    assert queued_tasks(broker) == 1


def test_a_failing_mail_server_keeps_the_message_for_later(partnerships, settings, client):
    from partnerships.notifications import send_due_messages

    client.post("/suggest/", NEW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    assert send_due_messages() == 0
    message = OutboxMessage.objects.get()
    assert message.attempts == 1 and "ConnectionRefusedError" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_messages() == 1


def test_queueing_a_school_refresh_with_redis_down_fails_fast_and_clearly(broker):
    from django.core.management import CommandError, call_command

    broker.stop()
    started = time.perf_counter()
    with pytest.raises(CommandError, match="Could not queue the refresh: Redis .* is unreachable"):
        call_command("queue_school_refresh")
    assert time.perf_counter() - started < 1


# A valid address by RFC 5322 (a quoted local part may hold commas), and a way to make the
# product write to strangers wherever an address is split on commas.
QUOTED_COMMAS = '"x,victim1@example.org,victim2@example.org"@example.org'


ONE_ADDRESS = "Enter one email address, like name@example.org, with no quotes or commas"
IN_FORMAT = "Enter an email address in the correct format, like name@example.org"


@pytest.mark.parametrize(
    "address, message",
    [
        (QUOTED_COMMAS, ONE_ADDRESS),
        ('"alex"@example.org', ONE_ADDRESS),
        ("alex@example.org, other@example.org", IN_FORMAT),
        ("Alex <alex@example.org>", IN_FORMAT),
    ],
)
def test_the_forms_take_one_plain_address_only(client, partnerships, la_research, address, message):
    for url, data in [
        ("/suggest/", NEW),
        ("/areas/E09000024/research/suggest/", {**SUBMITTER, "summary": "Clusters meet."}),
    ]:
        response = client.post(url, {**data, "submitter_email": address})
        assert response.status_code == 200
        errors = response.context["form"].errors["submitter_email"]
        assert errors == [message]
    assert not Suggestion.objects.exists() and not OutboxMessage.objects.exists()


def test_the_outbox_never_splits_an_address(partnerships):
    """Whatever reached the outbox before (or around) the forms' check is sent to the one
    address it names or to nobody: never to the addresses inside it."""
    from partnerships.notifications import MAX_ATTEMPTS, send_due_messages

    message = OutboxMessage.objects.create(to=QUOTED_COMMAS, subject="Hello", body="Text")
    assert send_due_messages() == 0
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == MAX_ATTEMPTS  # never tried again
    assert message.last_error == f"Not sent: “{QUOTED_COMMAS}” is not one plain email address."


def test_every_recipient_has_a_message_of_their_own(client, partnerships, moderator, settings):
    from partnerships.notifications import send_due_messages

    settings.MODERATOR_EMAILS = ["second@example.org"]
    client.post("/suggest/", NEW)
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "alex@example.org",
        "moderator@example.org",
        "second@example.org",
    ]
    assert send_due_messages() == 3
    assert sorted(message.to for message in mail.outbox) == [
        ["alex@example.org"],
        ["moderator@example.org"],
        ["second@example.org"],
    ]


def test_messages_queued_for_several_recipients_become_one_each(partnerships):
    """What migration 0014 does to the messages queued before it: split as an address list
    is read (RFC 5322), never on every comma."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("partnerships.migrations.0014_one_address_per_message")
    notice = OutboxMessage.objects.create(to="a@example.org, b@example.org", subject="S", body="B")
    quoted = OutboxMessage.objects.create(to=QUOTED_COMMAS, subject="S", body="B")
    migration.one_message_per_recipient(apps, None)
    assert sorted(OutboxMessage.objects.values_list("to", "subject", "created_at")) == sorted(
        [
            ("a@example.org", "S", notice.created_at),
            ("b@example.org", "S", notice.created_at),
            (QUOTED_COMMAS, "S", quoted.created_at),
        ]
    )


@pytest.fixture
def hung_broker():
    """A broker that accepts connections and never answers (Redis hung, not down)."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    original = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = (
        f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    )
    reset_broker_connections()
    yield held
    app.conf.broker_url, app.conf.result_backend = original
    reset_broker_connections()
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_hung_redis_costs_the_visitor_a_fraction_of_a_second(
    client, partnerships, hung_broker, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/suggest/", NEW)
    took = time.perf_counter() - started
    print(f"visitor waited {took:.2f} s with Redis hung")
    assert hung_broker, "the dispatch never reached the hung server"
    assert response.status_code == 302
    assert took < 0.8, f"the visitor waited {took:.1f} s"
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1  # beat sends it
