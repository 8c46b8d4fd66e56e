"""The "Example" values of the media kinds: small enough to finish in seconds with the built-in providers."""
from __future__ import annotations

from typing import Any

from apps.jobs import states
from apps.jobs.models import Job

TOPIC = "A lighthouse keeper who befriends a passing storm"

SCRIPT = {"params": {"topic": TOPIC, "scenes": 3, "length": "short"}}
CHARACTER_IMAGES = {"params": {"characters": [
    {"name": "Mei", "description": "a lighthouse keeper in a yellow raincoat"},
    {"name": "Storm", "description": "a grey cloud with a kind face"}], "width": 256, "height": 256}}
AUDIO = {"params": {"text": "The storm came in at dusk. Mei lit the lamp and waited, and the storm waved back."}}
VIDEO = {"params": {"topic": TOPIC, "scenes": 2, "width": 320, "height": 180, "fps": 8}}

EXPORTED_KINDS = ("media.script", "media.character_images", "media.audio", "media.video")


def export_example(user) -> dict[str, Any] | None:
    """Your three newest finished media jobs; none to export yet: no example."""
    if user is None or not user.is_authenticated:
        return None
    ids = list(Job.objects.filter(owner=user, kind__in=EXPORTED_KINDS, status=states.SUCCESS)
               .order_by("-created_at").values_list("pk", flat=True)[:3])
    return {"params": {"job_ids": [str(pk) for pk in ids]}} if ids else None
