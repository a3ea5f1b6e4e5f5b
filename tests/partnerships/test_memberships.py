import pytest
from django.core.management import call_command

from geodata.importers.gias_links import import_links_file
from geodata.management.commands.import_gias_links import BUNDLED
from partnerships.memberships import CHANGE_REASON, move_memberships_to_successors
from partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db


def test_memberships_follow_schools_to_their_successor_urn(partnerships):
    import_links_file(BUNDLED)
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    old = Membership.objects.create(
        partnership=sheffield, kind="school", school_id=100118, name="Deansfield Junior School"
    )
    split = Membership.objects.create(
        partnership=sheffield, kind="school", school_id=100362, name="x"
    )
    current = Membership.objects.create(
        partnership=sheffield, kind="school", school_id=143599, name="y"
    )
    assert move_memberships_to_successors() == [(old.pk, 100118, 143599)]
    old.refresh_from_db()
    assert old.school_id == 143599
    assert old.history.latest().history_change_reason == CHANGE_REASON
    split.refresh_from_db()
    current.refresh_from_db()
    assert (split.school_id, current.school_id) == (100362, 143599)
    call_command("move_memberships_to_successors")
    assert move_memberships_to_successors() == []


def test_memberships_follow_successors_when_the_register_is_imported(
    partnerships, django_capture_on_commit_callbacks
):
    """No clock: importing the links announces it once committed, and memberships follow."""
    sheffield = Partnership.objects.get(slug="learn-sheffield")
    old = Membership.objects.create(
        partnership=sheffield, kind="school", school_id=100118, name="Deansfield Junior School"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_links_file(BUNDLED)
    old.refresh_from_db()
    assert old.school_id == 143599


def test_footprints_are_redrawn_when_a_boundary_set_is_switched_on(partnerships):
    from geodata.boundary_sets import activate
    from geodata.models import BoundarySet

    Partnership.objects.update(display_footprint=None)
    activate(BoundarySet.objects.get(is_active=True))
    assert not Partnership.objects.filter(display_footprint__isnull=True).exists()
