"""Assemble an MP4 (H.264 + AAC + mov_text subtitles) from a script, scene pictures and narration.

Frames are drawn here (title card, then each scene with its subtitle burned in) and piped raw
to ffmpeg, so progress is reported per frame and nothing but one frame is held in memory.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from apps.jobs.messages import event_message
from apps.media.artwork import font, text_wrap
from apps.media.ffmpeg import FfmpegError, require_ffmpeg
from apps.media.narration import wav_write
from apps.media.progress import Report, silent

TAIL_S = 0.5  # the last scene lingers a little after its narration
MAX_SUBTITLE_WORDS = 12


@dataclass(frozen=True)
class Cue:
    """One subtitle: text shown from `start` to `end` seconds during scene `scene` (-1: title)."""

    start: float
    end: float
    scene: int
    text: str


def subtitle_cues(narrations: list[str], segments: list[dict[str, float]], offset: float) -> list[Cue]:
    """Split each scene's narration into short cues timed by word count within its segment."""
    cues: list[Cue] = []
    for index, (text, segment) in enumerate(zip(narrations, segments, strict=True)):
        chunks: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            words = sentence.split()
            for i in range(0, len(words), MAX_SUBTITLE_WORDS):
                chunks.append(" ".join(words[i:i + MAX_SUBTITLE_WORDS]))
        chunks = [c for c in chunks if c] or [text]
        total_words = sum(len(c.split()) for c in chunks) or 1
        start, length = segment["start_s"] + offset, segment["end_s"] - segment["start_s"]
        for chunk in chunks:
            end = start + length * len(chunk.split()) / total_words
            cues.append(Cue(round(start, 3), round(end, 3), index, chunk))
            start = end
    return cues


def srt_render(cues: list[Cue]) -> str:
    def stamp(seconds: float) -> str:
        ms = int(round(seconds * 1000))
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    return "".join(f"{i}\n{stamp(c.start)} --> {stamp(c.end)}\n{c.text}\n\n" for i, c in enumerate(cues, 1))


def _with_subtitle(picture: Image.Image, text: str) -> Image.Image:
    frame = picture.copy()
    width, height = frame.size
    draw = ImageDraw.Draw(frame, "RGBA")
    fnt = font(max(7, height // 16))
    lines = text_wrap(draw, text, fnt, int(width * 0.92))[:3]
    line_h = max(8, int(height / 14))
    box_top = height - line_h * len(lines) - line_h // 2
    draw.rectangle((0, box_top, width, height), fill=(0, 0, 0, 160))
    for i, line in enumerate(lines):
        draw.text((width / 2, box_top + line_h * (i + 0.75)), line, font=fnt, fill=(255, 255, 255), anchor="mm")
    return frame


def video_assemble(*, title_card: Path, scene_pictures: list[Path], narrations: list[str],
                   segments: list[dict[str, float]], samples: np.ndarray, sample_rate: int,
                   out: Path, srt_out: Path, fps: int, title_seconds: float, title: str,
                   report: Report = silent) -> dict[str, Any]:
    """Write `out` (MP4) and `srt_out` (the subtitles); returns duration, frames and cue count."""
    first = Image.open(scene_pictures[0]) if scene_pictures else Image.open(title_card)
    width, height = first.size
    cues = subtitle_cues(narrations, segments, title_seconds)
    srt_out.write_text(srt_render(cues), encoding="utf-8")
    duration = title_seconds + len(samples) / sample_rate + TAIL_S
    frames = max(1, round(duration * fps))
    with tempfile.TemporaryDirectory(prefix="jobcast-video-") as tmp:
        audio = Path(tmp) / "track.wav"
        lead = np.zeros(int(title_seconds * sample_rate), dtype=np.int16)
        tail = np.zeros(int((frames / fps) * sample_rate) - len(lead) - len(samples), dtype=np.int16)
        wav_write(audio, np.concatenate([lead, samples, tail]), sample_rate)
        log = (Path(tmp) / "ffmpeg.log").open("w+b")
        cmd = [require_ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
               "-i", str(audio), "-i", str(srt_out),
               "-map", "0:v", "-map", "1:a", "-map", "2:s",
               "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "96k", "-c:s", "mov_text", "-metadata", f"title={title}",
               "-movflags", "+faststart", str(out)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _write_frames(proc, frames, fps, title_card, title_seconds, scene_pictures, segments, cues, report)
            proc.stdin.close()
            code = proc.wait(timeout=600)
        except BrokenPipeError:
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:  # cancelled or timed out mid-way: do not leave ffmpeg behind
                proc.kill()
                proc.wait()
            log.seek(0)
            errors = log.read().decode(errors="replace")
            log.close()
        if code != 0:
            raise FfmpegError(f"ffmpeg failed ({code}) assembling the video: {errors[-1500:]}")
    return {"duration_s": round(frames / fps, 3), "frames": frames, "fps": fps, "width": width, "height": height,
            "subtitles": len(cues)}


def _write_frames(proc: subprocess.Popen, frames: int, fps: int, title_card: Path, title_seconds: float,
                  scene_pictures: list[Path], segments: list[dict[str, float]], cues: list[Cue],
                  report: Report) -> None:
    """Feed ffmpeg one raw frame at a time; a frame is re-drawn only when its picture or cue changes."""
    scene_starts = [title_seconds + s["start_s"] for s in segments]
    current_key: tuple[int, int] | None = None
    current_bytes = b""
    pictures: dict[int, Image.Image] = {}
    for index in range(frames):
        t = index / fps
        scene = -1
        for i, start in enumerate(scene_starts):
            if t >= start:
                scene = i
        cue = next((i for i, c in enumerate(cues) if c.start <= t < c.end), -1)
        key = (scene, cue)
        if key != current_key:
            if scene not in pictures:
                pictures.clear()  # keep one decoded picture at a time
                path = title_card if scene < 0 else scene_pictures[scene]
                pictures[scene] = Image.open(path).convert("RGB")
            picture = pictures[scene]
            frame = _with_subtitle(picture, cues[cue].text) if cue >= 0 else picture
            current_bytes, current_key = frame.tobytes(), key
        proc.stdin.write(current_bytes)
        report(index + 1, frames, event_message("frame %(i)s of %(n)s", i=index + 1, n=frames))
