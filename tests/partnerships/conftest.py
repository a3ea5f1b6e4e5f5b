import json

import pytest

from geodata.importers.gias import import_gias_file
from partnerships.curated import load_curated_partnerships
from tests.geodata.gias_files import SAMPLE
from tests.partnerships.test_curated import CASL, LEARN_SHEFFIELD


@pytest.fixture
def partnerships(boundaries, tmp_path):
    path = tmp_path / "partnerships.json"
    path.write_text(json.dumps([LEARN_SHEFFIELD, CASL]))
    load_curated_partnerships(path)


@pytest.fixture
def register(boundaries):
    run = import_gias_file(SAMPLE)
    assert run.status == "succeeded"
    return run
