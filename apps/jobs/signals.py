"""Signals domain apps may listen to (instead of the core importing them)."""
from django.dispatch import Signal

# Sent after a job reaches success, failure or revoked (after the commit), in whatever process
# made the transition. kwargs: job_id, kind, status, owner_id; and, from the row the transition
# locked (so receivers need not read the job back): notify (bool), started_at (None if it never
# started) and finished_at (aware datetimes). Receivers should treat these three as optional.
job_finished = Signal()
