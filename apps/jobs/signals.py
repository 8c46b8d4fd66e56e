"""Signals domain apps may listen to (instead of the core importing them)."""
from django.dispatch import Signal

# Sent after a job reaches success, failure or revoked (after the commit), in whatever process
# made the transition. kwargs: job_id, kind, status, owner_id.
job_finished = Signal()
