"""The register as stored, to compare before and after an import that should change nothing."""

from geodata.models import School, Trust


def register_snapshot():
    """Every school and trust with what an import may write, when each row was last written
    included: equal snapshots mean nothing was written, not merely nothing changed."""
    return (
        list(
            School.objects.order_by("urn").values_list(
                "urn", "name", "last_seen", "missing_since", "content_hash", "updated_at"
            )
        ),
        list(Trust.objects.order_by("uid").values_list("uid", "name", "updated_at")),
    )
