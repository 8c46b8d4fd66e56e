"""The "Example" of `vision.analyze`: a bundled sample photo (480×320 JPEG with EXIF) that runs as it is."""
from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parent / "samples" / "lighthouse.jpg"


@cache
def analyze_example() -> dict[str, Any]:
    return {"params": {"image_data": base64.b64encode(SAMPLE.read_bytes()).decode("ascii")},
            "note": "sample photo: lighthouse.jpg"}
