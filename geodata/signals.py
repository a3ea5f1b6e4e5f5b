"""What geodata announces, for other apps to react to without geodata knowing them."""

from django.dispatch import Signal

# Sent after an import that changed schools or trusts has committed; kwargs: run. Each
# receiver is a recorded step of the run (`geodata.import_runs.run_steps`): what it
# returns (a short text saying what it did) or the error it raised is kept on the run.
register_imported = Signal()
# Sent after a boundary set was switched on; kwargs: boundary_set.
boundary_set_activated = Signal()
