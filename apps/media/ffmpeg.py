"""The ffmpeg binary shipped by the imageio-ffmpeg wheel: running it and probing files with it.

There is no ffprobe in that wheel, so `media_probe` reads what `ffmpeg -i <file>` prints.
"""
from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any


class FfmpegError(RuntimeError):
    """ffmpeg exited with an error; the message carries the tail of its output."""


class FfmpegMissing(FfmpegError):
    """No ffmpeg binary is available (imageio-ffmpeg is not installed or has no binary)."""


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str | None:
    """The path of the ffmpeg binary, or None when there is none."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # ImportError or RuntimeError("No ffmpeg exe could be found")
        return None


def require_ffmpeg() -> str:
    exe = ffmpeg_exe()
    if exe is None:
        raise FfmpegMissing("ffmpeg is not available (install imageio-ffmpeg)")
    return exe


def ffmpeg_run(args: list[str], *, timeout: float = 600) -> None:
    """Run ffmpeg with `args` (no prompts, errors only) and raise FfmpegError on failure."""
    proc = subprocess.run([require_ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args],
                          capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise FfmpegError(f"ffmpeg failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-1500:]}")


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+[^:]*: (Video|Audio|Subtitle|Data): (\w+)([^\n]*)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_RATE = re.compile(r"(\d+) Hz")


def media_probe(path: Path | str) -> dict[str, Any]:
    """Duration (seconds) and streams of a media file: `{"duration_s", "streams": [{type, codec, …}]}`."""
    proc = subprocess.run([require_ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
                          capture_output=True, timeout=60)
    text = proc.stderr.decode(errors="replace")  # ffmpeg "fails" (no output file) but prints the info
    match = _DURATION.search(text)
    if match is None:
        raise FfmpegError(f"ffmpeg could not read {path}: {text[-500:]}")
    hours, minutes, seconds = match.groups()
    streams = []
    for kind, codec, rest in _STREAM.findall(text):
        stream: dict[str, Any] = {"type": kind.lower(), "codec": codec}
        if kind == "Video" and (size := _SIZE.search(rest)):
            stream.update(width=int(size.group(1)), height=int(size.group(2)))
        if kind == "Audio" and (rate := _RATE.search(rest)):
            stream["sample_rate"] = int(rate.group(1))
        streams.append(stream)
    return {"duration_s": int(hours) * 3600 + int(minutes) * 60 + float(seconds), "streams": streams}
