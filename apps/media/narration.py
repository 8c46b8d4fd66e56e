"""Narration audio: speech with espeak-ng when installed, else a clearly labelled placeholder track.

The WAV is written here (16-bit mono PCM with an INFO comment saying which engine made it);
MP3 and AAC copies are encoded with the bundled ffmpeg when it is available.
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from apps.jobs.messages import event_message
from apps.media.ffmpeg import ffmpeg_exe, ffmpeg_run
from apps.media.progress import Report, silent

# Voice name → espeak-ng voice, and the pitch (Hz) the placeholder track hums at.
VOICES: dict[str, dict[str, Any]] = {
    "narrator": {"espeak": "en-us", "pitch_hz": 140.0},
    "british": {"espeak": "en-gb", "pitch_hz": 130.0},
    "female": {"espeak": "en-us+f3", "pitch_hz": 220.0},
    "male": {"espeak": "en-us+m3", "pitch_hz": 110.0},
    "whisper": {"espeak": "en-us+whisper", "pitch_hz": 180.0},
}
FORMATS = ("wav", "mp3", "m4a")
SCENE_GAP_S = 0.4
PLACEHOLDER_NOTE = event_message("PLACEHOLDER TRACK: espeak-ng is not installed, so this is synthesized tones "
                                 "paced like the narration, not speech")


class SpeechEngineError(RuntimeError):
    """espeak-ng failed on a piece of text."""


@dataclass
class Narration:
    """The synthesized track: samples plus where each scene starts and ends."""

    samples: np.ndarray  # int16 mono
    sample_rate: int
    engine: str  # "espeak-ng" or "placeholder"
    segments: list[dict[str, float]] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def is_speech(self) -> bool:
        return self.engine == "espeak-ng"


def espeak_available() -> bool:
    return shutil.which(settings.MEDIA_ESPEAK_BINARY) is not None


def narration_synthesize(*, texts: list[str], voice: str = "narrator", speed: float = 1.0,
                         engine: str = "auto", report: Report = silent) -> Narration:
    """Speak each text in turn (a scene each), with a short pause between them."""
    rate = settings.MEDIA_SAMPLE_RATE
    use_espeak = engine == "espeak" or (engine == "auto" and espeak_available())
    gap = np.zeros(int(SCENE_GAP_S * rate), dtype=np.int16)
    parts: list[np.ndarray] = []
    segments: list[dict[str, float]] = []
    position = 0
    for i, text in enumerate(texts):
        clip = _espeak(text, voice, speed, rate) if use_espeak else _placeholder(text, voice, speed, rate)
        if i:
            parts.append(gap)
            position += len(gap)
        segments.append({"index": i, "start_s": round(position / rate, 3),
                         "end_s": round((position + len(clip)) / rate, 3)})
        parts.append(clip)
        position += len(clip)
        report(i + 1, len(texts), event_message("scene %(i)s of %(n)s narrated", i=i + 1, n=len(texts)))
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
    return Narration(samples=samples, sample_rate=rate, engine="espeak-ng" if use_espeak else "placeholder",
                     segments=segments)


def _espeak(text: str, voice: str, speed: float, rate: int) -> np.ndarray:
    proc = subprocess.run([settings.MEDIA_ESPEAK_BINARY, "-v", VOICES[voice]["espeak"], "-s", str(int(160 * speed)),
                           "--stdout", text], capture_output=True, timeout=300)
    if proc.returncode != 0 or not proc.stdout:
        raise SpeechEngineError(f"espeak-ng failed: {proc.stderr.decode(errors='replace')[-300:]}")
    with wave.open(io.BytesIO(_fix_streamed_wav(proc.stdout))) as wav:
        source_rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return _resample(samples, source_rate, rate)


def _fix_streamed_wav(data: bytes) -> bytes:
    """espeak-ng --stdout writes 0xFFFFFFFF sizes (it cannot seek); patch them from the real length."""
    if data[:4] != b"RIFF":
        return data
    data = bytearray(data)
    data[4:8] = struct.pack("<I", len(data) - 8)
    index = data.find(b"data", 12)
    if index > 0:
        data[index + 4:index + 8] = struct.pack("<I", len(data) - index - 8)
    return bytes(data)


def _resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    if source == target or not len(samples):
        return samples
    positions = np.linspace(0, len(samples) - 1, int(len(samples) * target / source))
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)


def _placeholder(text: str, voice: str, speed: float, rate: int) -> np.ndarray:
    """Hummed syllables paced like speech: one blip per syllable, pauses at punctuation."""
    base = VOICES[voice]["pitch_hz"]
    pieces: list[np.ndarray] = []
    for token in re.findall(r"[\w'’-]+|[.,;:!?]", text):
        if token in ".!?":
            pieces.append(np.zeros(int(0.35 * rate / speed)))
            continue
        if token in ",;:":
            pieces.append(np.zeros(int(0.15 * rate / speed)))
            continue
        syllables = max(1, len(re.findall(r"[aeiouy]+", token.lower())))
        for s in range(syllables):
            n = int(0.16 * rate / speed)
            t = np.arange(n) / rate
            pitch = base * (1.0 + 0.08 * np.sin(len(token) + s)) * (1 - 0.1 * t / t[-1])
            tone = np.sin(2 * np.pi * pitch * t) + 0.3 * np.sin(4 * np.pi * pitch * t)
            envelope = np.sin(np.pi * np.arange(n) / n) ** 2
            pieces.append(0.3 * tone * envelope)
        pieces.append(np.zeros(int(0.06 * rate / speed)))
    if not pieces:
        pieces.append(np.zeros(int(0.5 * rate)))
    return (np.concatenate(pieces) * 32767 * 0.8).astype(np.int16)


def wav_write(path: Path, samples: np.ndarray, sample_rate: int, comment: str = "") -> Path:
    """16-bit mono PCM WAV with an optional INFO/ICMT comment (readers skip unknown chunks)."""
    data = samples.astype("<i2").tobytes()
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
    info = b""
    if comment:
        text = comment.encode("utf-8") + b"\x00"
        if len(text) % 2:
            text += b"\x00"
        info_body = b"INFO" + b"ICMT" + struct.pack("<I", len(text)) + text
        info = b"LIST" + struct.pack("<I", len(info_body)) + info_body
    body = b"WAVE" + fmt + info + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def narration_encode(wav: Path, formats: list[str], comment: str) -> list[Path]:
    """MP3 / M4A (AAC) copies of the WAV; skipped (empty list) when no ffmpeg is available."""
    if ffmpeg_exe() is None:
        return []
    out = []
    for fmt in formats:
        if fmt == "wav":
            continue
        target = wav.with_suffix(f".{fmt}")
        codec = ["-c:a", "libmp3lame", "-b:a", "64k"] if fmt == "mp3" else ["-c:a", "aac", "-b:a", "64k"]
        ffmpeg_run(["-i", str(wav), *codec, "-metadata", f"comment={comment}", str(target)])
        out.append(target)
    return out


def wav_duration(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()
