import pytest

from geodata.importers.gias_links import import_links_file
from geodata.management.commands.import_gias_links import BUNDLED
from geodata.models import ImportRun, SchoolLink
from geodata.successors import current_urn, successor_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(db):
    run = import_links_file(BUNDLED)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    return run


def test_the_bundled_links_file_imports_completely(links):
    assert links.rows_read == 34044
    assert links.rejected == 0
    assert SchoolLink.objects.count() == 34044
    assert links.extract_date.isoformat() == "2025-07-27"


def test_a_school_is_followed_to_its_successor_of_today(links):
    # Deansfield Junior (100118) became Deansfield Primary (132837), an academy (143599) in 2016.
    assert successor_chain(100118) == [132837, 143599]
    assert current_urn(100118) == 143599
    assert current_urn(143599) == 143599


def test_a_split_school_is_not_guessed(links):
    assert SchoolLink.objects.filter(urn=100362, link_type="Successor").count() == 2
    assert successor_chain(100362) == []
    assert current_urn(100362) == 100362


def test_importing_the_same_links_again_changes_nothing(links):
    ids = set(SchoolLink.objects.values_list("pk", flat=True))
    again = import_links_file(BUNDLED)
    assert again.message == "Same file as the last import: nothing to change."
    assert set(SchoolLink.objects.values_list("pk", flat=True)) == ids


def test_a_truncated_links_file_changes_nothing(links, tmp_path):
    path = tmp_path / "links_edubasealldata20250728.csv"
    content = BUNDLED.read_bytes()
    path.write_bytes(content[: len(content) // 2].rsplit(b",", 1)[0] + b',"Succ')
    run = import_links_file(path)
    assert run.status == ImportRun.Status.REFUSED
    assert SchoolLink.objects.count() == 34044
