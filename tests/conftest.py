import json
import os
import time
from pathlib import Path

import pytest

from geodata.importers.boundaries import DEFAULT_SET, load_boundary_set
from geodata.importers.census import load_census_baseline
from geodata.importers.gias import import_gias_file
from geodata.importers.indicators import load_indicators, load_statistical_neighbours
from geodata.importers.postcodes import load_postcodes
from partnerships.curated import CURATED_FILE, load_curated_partnerships
from partnerships.research import load_la_research
from tests.factories import CASL, CENSUS_SAMPLE, LEARN_SHEFFIELD, POSTCODE_SAMPLE
from tests.geodata.gias_files import SAMPLE

TEST_RESEARCH_FILE = Path(__file__).parent / "fixtures" / "partnerships" / "la_research.json"

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """Each test starts as a new web process would: no answer kept in memory (a test's
    rolled-back transaction can leave the data version where an earlier test had it)."""
    from django.core.cache import caches

    from api_core.kept_answers import ANSWERS_CACHE

    caches[ANSWERS_CACHE].clear()


@pytest.fixture
def rate_limits(monkeypatch):
    """Sets fair-use rates for one test, `rate_limits(anon="3/min")`, on a stopped clock:
    counters are kept per fixed window, so a slow run crossing a minute's end would start a
    new window and let a request through that the test expects refused."""
    from django.core.cache import caches
    from rest_framework.throttling import SimpleRateThrottle

    from api_core.throttles import FailOpenThrottle

    mid_minute = time.time() // 60 * 60 + 30
    monkeypatch.setattr(FailOpenThrottle, "timer", staticmethod(lambda: mid_minute))
    caches["throttle"].clear()

    def set_rates(**rates):
        for scope, rate in rates.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    yield set_rates
    caches["throttle"].clear()


@pytest.fixture
def boundaries(db):
    """The bundled real boundary set, loaded and switched on."""
    return load_boundary_set(**DEFAULT_SET).boundary_set


@pytest.fixture
def baseline(boundaries):
    """The census baseline sample loaded into the register."""
    run = load_census_baseline(CENSUS_SAMPLE)
    assert run.status == "succeeded", run.message
    return run


@pytest.fixture
def postcodes(boundaries):
    run = load_postcodes(POSTCODE_SAMPLE)
    assert run.status == "succeeded", run.message
    return run


@pytest.fixture
def indicators(boundaries):
    """The bundled real LA indicators and DfE statistical neighbours."""
    assert load_indicators().status == "succeeded"
    assert load_statistical_neighbours().status == "succeeded"


@pytest.fixture
def partnerships(boundaries, tmp_path):
    """Two real partnerships (Learn Sheffield and CASL) loaded as curated records."""
    path = tmp_path / "partnerships.json"
    path.write_text(json.dumps([LEARN_SHEFFIELD, CASL]))
    load_curated_partnerships(path)


@pytest.fixture
def curated(boundaries):
    """Every partnership of the bundled curated data set."""
    load_curated_partnerships(CURATED_FILE)


@pytest.fixture
def la_research(boundaries):
    """A record for each of the 153 LAs from the test file (tests/fixtures/partnerships):
    Stockport searched with none found, Sheffield with a sourced summary, the rest empty."""
    return load_la_research(TEST_RESEARCH_FILE)


@pytest.fixture
def bundled_research(boundaries):
    """The bundled LA research records (fixtures/partnerships/la_research.json)."""
    return load_la_research()


@pytest.fixture
def moderator(django_user_model):
    """A staff user in the Moderators group."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "moderator", "moderator@example.org", "a-long-passphrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def register(boundaries):
    """The sample GIAS extract, imported."""
    run = import_gias_file(SAMPLE)
    assert run.status == "succeeded", run.message
    return run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright may not download browsers here), isolated from the net."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
