import pytest
from django.core.cache import caches

from partnerships.curated import CURATED_FILE, load_curated_partnerships
from tests.partnerships.conftest import partnerships, register  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture
def curated(boundaries):
    """All 40 real partnerships of the bundled data set."""
    load_curated_partnerships(CURATED_FILE)
