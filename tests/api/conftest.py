import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()
