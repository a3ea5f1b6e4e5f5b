import re

import pytest
from django.urls import reverse

from geodata.importers.boundaries import load_boundary_set
from geodata.models import BoundarySet, LocalAuthority
from tests.geodata.boundary_files import copy_set

pytestmark = pytest.mark.django_db


def test_local_authority_admin_uses_leaflet_from_our_static_files(admin_client, boundaries):
    rutland = LocalAuthority.objects.get(name="Rutland")
    response = admin_client.get(reverse("admin:geodata_localauthority_change", args=[rutland.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "openlayers" not in html.lower()
    # Not in a script or style address (a random CSP nonce may hold the letters "cdn").
    assert not re.search(r'(src|href)="[^"]*cdn', html, re.IGNORECASE)


def test_admin_search_finds_an_authority_by_a_former_code(admin_client, boundaries):
    response = admin_client.get(reverse("admin:geodata_localauthority_changelist"), {"q": "909"})
    assert "Cumberland" in response.content.decode()
    assert "Westmorland and Furness" in response.content.decode()


def test_admin_action_switches_back_to_an_earlier_set(admin_client, boundaries, tmp_path):
    newer = load_boundary_set(
        **{**copy_set(tmp_path, edit_features=lambda f: f[::-1]), "name": "newer"}
    ).boundary_set
    assert newer.is_active
    response = admin_client.post(
        reverse("admin:geodata_boundaryset_changelist"),
        {"action": "check_and_activate", "_selected_action": [boundaries.pk]},
        follow=True,
    )
    assert "Switched on utla-2023-buc" in response.content.decode()
    assert BoundarySet.objects.get(is_active=True) == boundaries
