"""Narration: the placeholder track works without espeak-ng and the WAV has the reported duration."""
import wave

from apps.media.ffmpeg import media_probe
from apps.media.narration import PLACEHOLDER_NOTE, narration_encode, narration_synthesize, wav_duration, wav_write


def test_placeholder_track_without_espeak(tmp_path, settings):
    settings.MEDIA_ESPEAK_BINARY = "no-such-espeak-binary"
    calls = []
    narration = narration_synthesize(texts=["Hello there, friend.", "A second, longer scene follows here."],
                                     voice="female", report=lambda d, t, m="": calls.append(d))
    assert narration.engine == "placeholder" and not narration.is_speech
    assert calls == [1, 2]
    first, second = narration.segments
    assert 0 == first["start_s"] < first["end_s"] < second["start_s"] < second["end_s"]
    wav = wav_write(tmp_path / "n.wav", narration.samples, narration.sample_rate, PLACEHOLDER_NOTE)
    assert abs(wav_duration(wav) - narration.duration_s) < 0.001
    assert b"PLACEHOLDER TRACK" in wav.read_bytes()
    with wave.open(str(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, settings.MEDIA_SAMPLE_RATE)


def test_mp3_and_m4a_copies_have_the_same_duration(tmp_path):
    narration = narration_synthesize(texts=["Short text for encoding."], engine="placeholder")
    wav = wav_write(tmp_path / "n.wav", narration.samples, narration.sample_rate)
    encoded = narration_encode(wav, ["wav", "mp3", "m4a"], "comment")
    assert sorted(p.suffix for p in encoded) == [".m4a", ".mp3"]
    for path in encoded:
        info = media_probe(path)
        assert info["streams"][0]["type"] == "audio"
        assert abs(info["duration_s"] - narration.duration_s) < 0.15
