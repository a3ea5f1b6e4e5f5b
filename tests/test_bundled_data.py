import pytest
from django.core.management import call_command

from geodata.models import BoundarySet, ImportRun, LocalAuthority, Postcode, School
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_bundled_data_loads_everything_once():
    call_command("load_bundled_data")
    assert BoundarySet.objects.get().is_active
    assert LocalAuthority.objects.current().count() == 153
    assert Partnership.objects.published().count() >= 30
    for partnership in Partnership.objects.prefetch_related("sources", "local_authorities"):
        assert partnership.sources.exists(), partnership
        # Areas only where a source confirms them; none confirmed is said as unverified.
        assert partnership.local_authorities.exists() or partnership.unverified_notes, partnership
    history = Partnership.history.count()
    camden = School.objects.filter(local_authority__dfe_code="202").open()
    assert (camden.count(), camden.state_funded().count()) == (90, 59)
    assert Postcode.objects.count() == 1475593

    call_command("load_bundled_data")
    runs = ImportRun.objects.filter(source=ImportRun.Source.GIAS_LINKS).order_by("started_at")
    assert [run.created for run in runs] == [34044, 0]
    assert Partnership.history.count() == history
    postcodes = ImportRun.objects.filter(source=ImportRun.Source.POSTCODES).order_by("started_at")
    assert [run.created for run in postcodes] == [1475593, 0]
    assert "nothing to do" in postcodes.last().message
    census = ImportRun.objects.filter(source=ImportRun.Source.SCHOOL_CENSUS).order_by("started_at")
    assert [(run.created, run.updated) for run in census] == [(24442, 0), (0, 0)]
