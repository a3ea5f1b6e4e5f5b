"""scripts/services, scripts/stop and scripts/supervise, run as a developer runs them.

Each test copies the scripts into throwaway checkouts under tmp_path and starts their
Redis on free ports; it never touches this checkout's embedded services.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Checkout:
    """A folder holding a copy of the service scripts, as a second clone would."""

    def __init__(self, folder):
        self.root = folder
        (folder / "scripts").mkdir(parents=True)
        for name in ("services", "stop"):
            shutil.copy2(SCRIPTS / name, folder / "scripts" / name)
        self.port = free_port()

    def run(self, *command, port=None):
        environment = {
            **os.environ,
            # A database of its own is not the point here: skip the PostgreSQL cluster.
            "DATABASE_URL": "postgis://nobody@127.0.0.1:1/none",
            "EMBEDDED_REDIS_PORT": str(port or self.port),
        }
        environment.pop("REDIS_URL", None)
        return subprocess.run(
            [str(self.root / "scripts" / command[0]), *command[1:]],
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
        )

    @property
    def pid_file(self):
        return self.root / ".local" / "redis" / "redis.pid"

    def redis_pid(self):
        """The pid of the redis-server working in this checkout's folder, if any."""
        try:
            pid = int(self.pid_file.read_text())
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid if Path(cwd) == (self.root / ".local" / "redis").resolve() else None

    def client(self, port=None):
        return redis.Redis(port=port or self.port, socket_connect_timeout=1)

    def answers(self, port=None):
        try:
            return self.client(port).ping()
        except redis.ConnectionError:
            return False

    def kill_redis(self):
        pid = self.redis_pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
            while Path(f"/proc/{pid}").exists():
                time.sleep(0.05)


@pytest.fixture
def checkouts(tmp_path):
    made = []

    def make(name):
        checkout = Checkout(tmp_path / name)
        made.append(checkout)
        return checkout

    try:
        yield make
    finally:
        for checkout in made:
            checkout.kill_redis()


def started(checkout):
    result = checkout.run("services", "start")
    assert result.returncode == 0, result.stderr
    assert checkout.answers()
    return checkout


def test_stop_with_another_checkouts_port_stops_only_its_own_redis(checkouts):
    mine, theirs = started(checkouts("mine")), started(checkouts("theirs"))

    result = mine.run("stop", port=theirs.port)

    assert result.returncode == 0, result.stderr
    assert "Redis stopped" in result.stdout
    assert mine.redis_pid() is None and not mine.answers()
    assert theirs.answers(), "stopped the other checkout's Redis"


def test_stop_ignores_a_pid_file_whose_number_now_names_another_redis(checkouts):
    mine, theirs = started(checkouts("mine")), started(checkouts("theirs"))
    assert mine.run("stop").returncode == 0
    mine.pid_file.write_text(str(theirs.redis_pid()))  # a stale file, its number reused

    result = mine.run("stop", port=theirs.port)

    assert result.returncode == 0, result.stderr
    assert "Redis stopped" not in result.stdout
    assert theirs.answers()


def test_start_refuses_a_port_where_another_checkouts_redis_answers(checkouts):
    mine, theirs = checkouts("mine"), started(checkouts("theirs"))

    result = mine.run("services", "start", port=theirs.port)

    assert result.returncode == 1
    assert f"another Redis already listens on 127.0.0.1:{theirs.port}" in result.stderr
    assert mine.redis_pid() is None


def test_queued_tasks_survive_a_redis_crash(checkouts):
    mine = started(checkouts("mine"))
    assert mine.client().config_get("appendonly") == {"appendonly": "yes"}
    mine.client().lpush("celery", b'{"task": "waiting"}')
    time.sleep(1.5)  # appendfsync everysec

    mine.kill_redis()
    assert not mine.answers()
    started(mine)

    assert mine.client().lrange("celery", 0, -1) == [b'{"task": "waiting"}']


def supervise(log, *command, **environment):
    return subprocess.Popen(
        [str(SCRIPTS / "supervise"), "thing", str(log), *command],
        env={**os.environ, **environment},
        stderr=subprocess.DEVNULL,
    )


def test_supervise_starts_an_exiting_process_again_waiting_longer_each_time(tmp_path):
    log = tmp_path / "thing.log"
    supervisor = supervise(log, "sh", "-c", "echo ran; exit 3", SUPERVISE_MAX_DELAY="2")
    try:
        time.sleep(4.5)  # runs at 0, 1, 3 s (waits of 1, 2, 2 s)
    finally:
        supervisor.terminate()
        assert supervisor.wait(5) == 0
    lines = log.read_text().splitlines()
    assert lines.count("ran") == 3
    restarts = [line.split(" the thing ")[1] for line in lines if line.startswith("supervise:")]
    assert restarts == [
        "exited (status 3); starting it again in 1 s",
        "exited (status 3); starting it again in 2 s",
        "exited (status 3); starting it again in 2 s",
    ]


def test_stopping_the_supervisor_stops_its_process_and_starts_nothing(tmp_path):
    supervisor = supervise(tmp_path / "thing.log", "sleep", "300")
    time.sleep(0.5)
    child = int(subprocess.check_output(["pgrep", "-P", str(supervisor.pid)]))

    supervisor.send_signal(signal.SIGTERM)

    assert supervisor.wait(5) == 0
    assert not Path(f"/proc/{child}").exists()
    assert "supervise:" not in (tmp_path / "thing.log").read_text()
