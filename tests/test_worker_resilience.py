"""The Celery worker outlives a Redis outage, and Redis keeps the queued tasks on disk.

A real worker process against a throwaway redis-server of the test's own (never the
checkout's embedded one, which other tests use), killed and restarted in the same folder.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from kombu import Connection

from partnerships_map.celery import app

DELAYED = 600  # seconds: the worker holds the task, unacknowledged, for all of the test


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PersistentRedis:
    """A redis-server with an append-only file, as `scripts/services` starts the embedded one."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "yes", "--appendfsync", "everysec"),
            ],
            stdout=subprocess.DEVNULL,
        )
        until(self.answers, "redis-server to start", timeout=10)

    def answers(self):
        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False

    def kill(self):
        """As a crash or an out-of-memory kill would: no chance to write anything more."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def holds(self, task_id):
        """Whether the task's message is anywhere in Redis: queued, or delivered and unacked."""
        client = redis.Redis(port=self.port)
        messages = client.lrange("celery", 0, -1) + client.hvals("unacked")
        return any(task_id.encode() in message for message in messages)


def until(condition, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


class Worker:
    """`celery worker` as `scripts/run` starts it, logging to a file the test reads."""

    def __init__(self, folder, broker_url):
        self.log = folder / "worker.log"
        environment = {**os.environ, "REDIS_URL": broker_url, "PYTHONUNBUFFERED": "1"}
        self.output = self.log.open("w")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "partnerships_map", "worker"),
                *("--pool", "solo", "--without-gossip", "--without-mingle", "--loglevel", "INFO"),
                *("--hostname", f"resilience-{uuid.uuid4().hex[:8]}@%h"),
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def logged(self, pattern):
        return re.search(pattern, self.log.read_text())

    def wait_for(self, pattern, what, timeout=30):
        try:
            until(lambda: self.logged(pattern) or not self.alive(), what, timeout)
        except AssertionError as error:
            raise AssertionError(f"{error}; the worker's log ends:\n{self.tail()}") from None
        assert self.alive(), f"the worker exited while waiting for {what}:\n{self.tail()}"

    def alive(self):
        return self.process.poll() is None

    def tail(self):
        return "\n".join(self.log.read_text().splitlines()[-40:])

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.output.close()


@pytest.fixture
def outage(tmp_path):
    server = PersistentRedis(tmp_path)
    server.start()
    worker = Worker(tmp_path, server.url)
    try:
        yield server, worker
    finally:
        worker.stop()
        server.stop()


def send(server, *, countdown=None):
    """Queue a side-effect-free built-in task (it returns its argument)."""
    with Connection(server.url, connect_timeout=2) as connection:
        result = app.send_task(
            "celery.accumulate", args=(1,), countdown=countdown, connection=connection
        )
    return result.id


def test_worker_holding_a_delayed_task_survives_redis_going_away_and_coming_back(outage):
    server, worker = outage
    worker.wait_for(r"@\S+ ready\.", "the worker to start")

    delayed = send(server, countdown=DELAYED)  # as the GIAS refresh retries when offline
    worker.wait_for(rf"Task celery\.accumulate\[{delayed}\] received", "the delayed task")
    time.sleep(1.5)  # appendfsync everysec: the delivered message reaches the disk

    server.kill()
    worker.wait_for(r"Connection to broker lost", "the worker to notice", timeout=15)
    time.sleep(3)  # the worker's reconnection attempts meet a refused port
    assert worker.alive(), worker.tail()

    server.start()
    assert server.holds(delayed), "the delayed task was lost with the Redis restart"
    worker.wait_for(r"(?s)Connection to broker lost.*Connected to redis", "reconnection")

    after = send(server)
    worker.wait_for(rf"Task celery\.accumulate\[{after}\] succeeded", "the task sent after")
    assert worker.alive()
    assert "Unrecoverable error" not in worker.log.read_text()


def test_the_worker_yields_the_cpu_to_the_web_processes(outage):
    """A rebuild after a change runs in the worker: below the web processes' priority."""
    _server, worker = outage
    worker.wait_for(r"@\S+ ready\.", "the worker to start")
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert settings.WORKER_NICENESS > 0
    assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == ours + settings.WORKER_NICENESS


def test_the_worker_retries_forever_while_the_web_side_publishes_without_waiting():
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_retry_on_startup is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.task_publish_retry is False
    assert app.conf.broker_transport_options["max_retries"] == 0
