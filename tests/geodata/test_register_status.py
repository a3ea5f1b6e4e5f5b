import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from geodata.importers.census import load_census_baseline
from geodata.importers.gias import import_gias_file
from geodata.models import ImportRun
from partnerships_map.celery import app
from tests.factories import CENSUS_SAMPLE
from tests.geodata.gias_files import SAMPLE

pytestmark = pytest.mark.django_db


def test_map_says_plainly_when_the_register_is_not_loaded(client, boundaries):
    html = client.get("/").content.decode()
    assert "The school register has not been loaded yet." in html


def test_map_says_when_a_refresh_failed(client, boundaries):
    ImportRun.objects.create(
        source=ImportRun.Source.GIAS_ESTABLISHMENTS,
        location="https://example.invalid/",
        status=ImportRun.Status.FAILED,
    )
    html = client.get("/").content.decode()
    assert "has not been loaded yet" in html
    assert ": failed." in html


def test_map_says_which_extract_is_loaded_and_when(client, boundaries):
    import_gias_file(SAMPLE)
    html = client.get("/").content.decode()
    assert "extract of 24 November 2025" in html
    assert "not been loaded" not in html


def test_an_empty_register_queues_a_refresh_once(boundaries, settings, mocker_delay):
    call_command("queue_school_refresh", "--if-empty")
    assert mocker_delay == [()]
    load_census_baseline(CENSUS_SAMPLE)  # the baseline alone still wants GIAS
    call_command("queue_school_refresh", "--if-empty")
    assert mocker_delay == [(), ()]
    import_gias_file(SAMPLE, force=True)  # a sample: far fewer schools than the baseline
    call_command("queue_school_refresh", "--if-empty")
    assert mocker_delay == [(), ()]


def test_map_says_when_only_the_census_baseline_is_loaded(client, boundaries):
    load_census_baseline(CENSUS_SAMPLE)
    html = client.get("/").content.decode()
    assert "DfE school census, January 2023 (the bundled baseline" in html
    assert "not been loaded" not in html


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_the_daily_refresh():
    DatabaseScheduler(app=app, lazy=True).setup_schedule()
    task = PeriodicTask.objects.get(name="refresh-schools")
    assert task.task == "geodata.tasks.refresh_schools"
    assert (task.crontab.minute, task.crontab.hour) == ("30", "7")
