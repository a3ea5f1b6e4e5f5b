import pytest
from django.core.management import call_command

from geodata.models import BoundarySet, ImportRun, LocalAuthority
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_bundled_data_loads_everything_once():
    call_command("load_bundled_data")
    assert BoundarySet.objects.get().is_active
    assert LocalAuthority.objects.current().count() == 153
    assert Partnership.objects.published().count() >= 30
    for partnership in Partnership.objects.prefetch_related("sources", "local_authorities"):
        assert partnership.sources.exists(), partnership
        assert partnership.local_authorities.exists(), partnership
    history = Partnership.history.count()

    call_command("load_bundled_data")
    runs = ImportRun.objects.filter(source=ImportRun.Source.GIAS_LINKS).order_by("started_at")
    assert [run.created for run in runs] == [34044, 0]
    assert Partnership.history.count() == history
