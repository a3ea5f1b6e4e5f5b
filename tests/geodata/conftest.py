import pytest


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
