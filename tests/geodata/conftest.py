import psycopg
import pytest
from django.db import connection


@pytest.fixture
def mocker_delay(monkeypatch):
    """Calls of `refresh_schools.delay` from `queue_school_refresh`, recorded, not queued."""
    from geodata.management.commands import queue_school_refresh

    calls = []

    class Result:
        id = "test"

    def delay(*args):
        calls.append(args)
        return Result()

    monkeypatch.setattr(queue_school_refresh.refresh_schools, "delay", delay)
    return calls


@pytest.fixture
def other_session():
    """A second database session, as another process running an import would hold."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
    ) as session:
        yield session
