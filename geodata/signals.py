"""What geodata announces, for other apps to react to without geodata knowing them."""

from django.dispatch import Signal

# Sent after an import that changed schools or trusts has committed; kwargs: run.
register_imported = Signal()
# Sent after a boundary set was switched on; kwargs: boundary_set.
boundary_set_activated = Signal()
