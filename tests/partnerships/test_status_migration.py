"""The status vocabulary change (active / ceased / unknown) moves stored values along."""

import importlib

import pytest
from django.apps import apps

from partnerships.models import Partnership, Suggestion

pytestmark = pytest.mark.django_db
migration = importlib.import_module("partnerships.migrations.0009_status_active_ceased_unknown")


def test_closed_becomes_ceased_and_dormant_becomes_unknown(partnerships):
    Partnership.objects.filter(slug="learn-sheffield").update(status="closed")
    Partnership.objects.filter(slug="cumbria-alliance-of-system-leaders").update(status="dormant")
    casl = Partnership.objects.get(slug="cumbria-alliance-of-system-leaders")
    suggestion = Suggestion.objects.create(
        kind="amendment",
        partnership=casl,
        proposed={"status": "dormant"},
        baseline={"status": "closed"},
    )
    migration.forwards(apps, None)
    statuses = dict(Partnership.objects.values_list("slug", "status"))
    assert statuses == {
        "learn-sheffield": "ceased",
        "cumbria-alliance-of-system-leaders": "unknown",
    }
    suggestion.refresh_from_db()
    assert (suggestion.proposed, suggestion.baseline) == (
        {"status": "unknown"},
        {"status": "ceased"},
    )
