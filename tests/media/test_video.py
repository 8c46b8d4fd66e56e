"""Video assembly: an MP4 with H.264, AAC and subtitle streams whose duration matches the timeline."""
from pathlib import Path

from apps.media.artwork import scene_render, title_card_render
from apps.media.ffmpeg import media_probe
from apps.media.narration import narration_synthesize
from apps.media.video import srt_render, subtitle_cues, video_assemble


def test_subtitle_cues_cover_each_segment_in_order():
    cues = subtitle_cues(["One. Two three.", "Four."], [{"start_s": 0, "end_s": 2}, {"start_s": 2.5, "end_s": 3}],
                         offset=1.0)
    assert [(c.scene, c.text) for c in cues] == [(0, "One."), (0, "Two three."), (1, "Four.")]
    assert cues[0].start == 1.0 and cues[1].end == 3.0 and cues[2].start == 3.5
    assert "00:00:01,000 --> " in srt_render(cues)


def test_video_assemble_small(tmp_path: Path):
    texts = ["The first scene is short.", "The second one too."]
    narration = narration_synthesize(texts=texts, engine="placeholder")
    title_card_render(title="Tiny", subtitle="test", width=160, height=90).save(tmp_path / "title.png")
    pictures = []
    for i in range(2):
        scene_render(setting=f"a forest path {i}", visual="", characters=[], width=160, height=90) \
            .save(tmp_path / f"scene-{i}.png")
        pictures.append(tmp_path / f"scene-{i}.png")
    frames_seen = []
    info = video_assemble(title_card=tmp_path / "title.png", scene_pictures=pictures, narrations=texts,
                          segments=narration.segments, samples=narration.samples,
                          sample_rate=narration.sample_rate, out=tmp_path / "v.mp4", srt_out=tmp_path / "v.srt",
                          fps=8, title_seconds=0.5, title="Tiny", report=lambda d, t, m="": frames_seen.append(d))
    assert frames_seen == list(range(1, info["frames"] + 1))
    probe = media_probe(tmp_path / "v.mp4")
    assert abs(probe["duration_s"] - info["duration_s"]) < 0.2
    kinds = {(s["type"], s["codec"]) for s in probe["streams"]}
    assert {("video", "h264"), ("audio", "aac"), ("subtitle", "mov_text")} <= kinds
    video = next(s for s in probe["streams"] if s["type"] == "video")
    assert (video["width"], video["height"]) == (160, 90)
