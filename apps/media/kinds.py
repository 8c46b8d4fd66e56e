"""The media job kinds: their params, and bodies that call the plain domain functions.

media.script, media.character_images → queue `media`; media.audio → `media.audio`;
media.video (a pipeline: script → images → audio → video, one weighted bar) → `media.video`;
media.export → `files`.
"""
from __future__ import annotations

import json
import re
import tempfile
import wave
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from apps.jobs.context import JobContext
from apps.jobs.limits import Setting
from apps.jobs.messages import event_message
from apps.jobs.models import Job
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, PipelineStep, register
from apps.media import examples
from apps.media.artwork import portrait_render, scene_render, title_card_render
from apps.media.export import export_zip_build
from apps.media.files import file_payload, media_file_download_to, media_file_save, media_files_of
from apps.media.models import MediaFile
from apps.media.narration import (
    FORMATS,
    PLACEHOLDER_NOTE,
    VOICES,
    narration_encode,
    narration_synthesize,
    wav_write,
)
from apps.media.progress import VIDEO_PIPELINE_WEIGHTS, ctx_report, ctx_stage
from apps.media.providers import http_provider_configured, provider_submit
from apps.media.script import (
    LENGTHS,
    MAX_BUILTIN_CAST,
    TONES,
    openai_configured,
    scene_lines,
    script_generate,
    script_header_lines,
)
from apps.media.video import video_assemble

# --- params ---------------------------------------------------------------------------------


def _provider_field(choices: tuple[str, ...], default: str, help_text: str | Promise) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, default=default, help_text=help_text)


def _check_provider(value: str) -> str:
    if value == "http" and not http_provider_configured():
        raise serializers.ValidationError(_("the http provider is not configured (MEDIA_HTTP_PROVIDER_URL)"))
    if value == "openai" and not openai_configured():
        raise serializers.ValidationError(_("the openai provider is not configured (MEDIA_OPENAI_BASE_URL)"))
    return value


class ScriptFields(StrictParams):
    topic = serializers.CharField(max_length=500, help_text=_("What the script is about."))
    tone = serializers.ChoiceField(choices=TONES, default="neutral")
    length = serializers.ChoiceField(choices=tuple(LENGTHS), default="medium",
                                     help_text=_("Narration per scene: short (1 sentence), medium (2), long (4)."))
    characters = serializers.IntegerField(min_value=1, max_value=Setting(lambda s: min(s.MEDIA_MAX_CHARACTERS, MAX_BUILTIN_CAST)),
                                          default=2, help_text=_("Number of characters."))
    seed = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text=_("Same prompt and seed, same script (builtin generator)."))

    def validate_script_provider(self, value: str) -> str:
        return _check_provider(value)

    def validate_provider(self, value: str) -> str:
        return _check_provider(value)


class ScriptParams(ScriptFields):
    scenes = serializers.IntegerField(min_value=1, max_value=Setting("MEDIA_MAX_SCENES"), default=5,
                                      help_text=_("Number of scenes."))
    provider = _provider_field(("builtin", "openai"), "builtin",
                               _("builtin: no network; openai: the configured OpenAI-compatible endpoint."))


class CharacterSpec(StrictParams):
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CharacterImagesParams(StrictParams):
    characters = serializers.ListField(child=CharacterSpec(), min_length=1, max_length=Setting("MEDIA_MAX_CHARACTERS"),
                                       help_text=_("The characters to draw: [{name, description}]."))
    width = serializers.IntegerField(min_value=32, max_value=Setting("MEDIA_MAX_IMAGE_SIDE"), default=512)
    height = serializers.IntegerField(min_value=32, max_value=Setting("MEDIA_MAX_IMAGE_SIDE"), default=512)
    provider = _provider_field(("local", "http"), "local", _("local: drawn here; http: the external provider."))

    def validate_provider(self, value: str) -> str:
        return _check_provider(value)

    def validate_characters(self, value: list[dict]) -> list[dict]:
        names = [c["name"].strip().lower() for c in value]
        if len(set(names)) != len(names):
            raise serializers.ValidationError(_("character names must be distinct"))
        return value


class AudioParams(StrictParams):
    exactly_one_of = ("text", "scenes")
    text = serializers.CharField(max_length=Setting("MEDIA_MAX_NARRATION_CHARS"), required=False,
                                 help_text=_("The narration as one text (or give scenes)."))
    scenes = serializers.ListField(child=serializers.CharField(max_length=5000), required=False,
                                   min_length=1, max_length=Setting("MEDIA_MAX_SCENES"),
                                   help_text=_("The narration, one text per scene."))
    voice = serializers.ChoiceField(choices=tuple(VOICES), default="narrator")
    speed = serializers.FloatField(min_value=0.5, max_value=2.0, default=1.0)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMATS), default=list(FORMATS),
                                    max_length=len(FORMATS), help_text=_("wav always; mp3 and m4a need ffmpeg."))
    provider = _provider_field(("local", "http"), "local", _("local: synthesized here; http: the external provider."))

    def validate_provider(self, value: str) -> str:
        return _check_provider(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        texts = attrs.get("scenes") or [attrs["text"]]
        if sum(len(t) for t in texts) > settings.MEDIA_MAX_NARRATION_CHARS:
            raise serializers.ValidationError(
                {"scenes": _("at most %(count)s characters in all") % {"count": settings.MEDIA_MAX_NARRATION_CHARS}})
        return attrs


class VideoParams(ScriptFields):
    scenes = serializers.IntegerField(min_value=1, max_value=Setting("MEDIA_MAX_VIDEO_SCENES"), default=3)
    length = serializers.ChoiceField(choices=tuple(LENGTHS), default="short")
    voice = serializers.ChoiceField(choices=tuple(VOICES), default="narrator")
    width = serializers.IntegerField(min_value=64, max_value=Setting("MEDIA_MAX_VIDEO_SIDE"), default=640,
                                     help_text=_("Even number of pixels (H.264)."))
    height = serializers.IntegerField(min_value=64, max_value=Setting("MEDIA_MAX_VIDEO_SIDE"), default=360,
                                      help_text=_("Even number of pixels (H.264)."))
    fps = serializers.IntegerField(min_value=1, max_value=Setting("MEDIA_MAX_VIDEO_FPS"), default=12)
    title_seconds = serializers.FloatField(min_value=0.0, max_value=10.0, default=2.0,
                                           help_text=_("How long the title card shows."))
    script_provider = _provider_field(("builtin", "openai"), "builtin", _("Who writes the script."))

    def validate_width(self, value: int) -> int:
        if value % 2:
            raise serializers.ValidationError(_("must be even (H.264 needs even dimensions)"))
        return value

    validate_height = validate_width


class ExportParams(StrictParams):
    job_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1,
                                    max_length=Setting("MEDIA_MAX_EXPORT_JOBS"),
                                    help_text=_("Your finished jobs whose files go into the ZIP."))

    def validate_job_ids(self, value: list) -> list[str]:
        ids = list(dict.fromkeys(str(v) for v in value))
        request = self.context.get("request")
        if request is not None:
            owned = {str(pk) for pk in Job.objects.filter(pk__in=ids, owner=request.user).values_list("pk", flat=True)}
            foreign = [i for i in ids if i not in owned]
            if foreign:
                raise serializers.ValidationError(_("not your jobs (or no such jobs): %(ids)s") % {"ids": ", ".join(foreign)})
        return ids


# --- bodies ---------------------------------------------------------------------------------

def _files(job_id) -> list[dict[str, Any]]:
    return [file_payload(f) for f in media_files_of(job_id)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "character"


def script_run(ctx: JobContext, params: dict) -> dict:
    """media.script: write a script, store it as JSON and as readable text."""
    ctx.stage("writing", message=event_message("%(scenes)s scenes about %(topic)s", scenes=params["scenes"],
                                               topic=repr(params["topic"])))
    script = script_generate(topic=params["topic"], tone=params["tone"], length=params["length"],
                             scenes=params["scenes"], characters=params["characters"], seed=params.get("seed"),
                             provider=params["provider"], report=ctx_report(ctx, (0.0, 90.0)), write=ctx.output)
    ctx.stage("saving", progress=90.0)
    media_file_save(job_id=ctx.job_id, name="script.json", content=json.dumps(script, indent=2))
    media_file_save(job_id=ctx.job_id, name="script.txt", content=script_text(script))
    return {"title": script["title"], "script": script, "files": _files(ctx.job_id)}


def script_text(script: dict[str, Any]) -> str:
    """The script as a human-readable document (what the builtin generator streams as output)."""
    out = script_header_lines(script["title"], script.get("logline", ""), script["characters"])
    for scene in script["scenes"]:
        out += scene_lines(scene)
    return "\n".join(out) + "\n"


def character_images_run(ctx: JobContext, params: dict) -> dict:
    """media.character_images: one captioned PNG portrait per character, progress per image."""
    if params["provider"] == "http":
        provider_submit(ctx=ctx, kind="character_images", params=params)
    characters, width, height = params["characters"], params["width"], params["height"]
    ctx.stage("drawing", message=event_message("%(n)s portraits at %(width)sx%(height)s", n=len(characters),
                                               width=width, height=height))
    report = ctx_report(ctx)
    images = []
    for i, character in enumerate(characters, 1):
        image = portrait_render(name=character["name"], description=character.get("description", ""),
                                width=width, height=height)
        images.append(_save_png(ctx.job_id, f"character-{i:02d}-{_slug(character['name'])}.png", image)
                      | {"character": character["name"], "width": width, "height": height})
        report(i, len(characters), event_message("portrait of %(name)s (%(i)s of %(n)s)", name=character["name"],
                                                 i=i, n=len(characters)))
    return {"images": images, "files": _files(ctx.job_id)}


def _save_png(job_id, name: str, image) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="jobcast-media-") as tmp:
        path = Path(tmp) / name
        image.save(path, format="PNG", optimize=False)
        return file_payload(media_file_save(job_id=job_id, name=name, content=path))


def audio_run(ctx: JobContext, params: dict) -> dict:
    """media.audio: narration as WAV (+ MP3/M4A), speech if espeak-ng is installed, else a placeholder."""
    if params["provider"] == "http":
        provider_submit(ctx=ctx, kind="audio", params=params)
    texts = params.get("scenes") or [params["text"]]
    ctx.stage("synthesizing", message=event_message("%(n)s scene(s), voice %(voice)s", n=len(texts),
                                                    voice=params["voice"]))
    narration = narration_synthesize(texts=texts, voice=params["voice"], speed=params["speed"],
                                     report=ctx_report(ctx, (0.0, 80.0)))
    if not narration.is_speech:
        ctx.log(PLACEHOLDER_NOTE)
    ctx.stage("encoding", progress=80.0)
    comment = PLACEHOLDER_NOTE if not narration.is_speech else f"Jobcast narration, espeak-ng voice {params['voice']}"
    with tempfile.TemporaryDirectory(prefix="jobcast-media-") as tmp:
        wav = wav_write(Path(tmp) / "narration.wav", narration.samples, narration.sample_rate, comment)
        media_file_save(job_id=ctx.job_id, name="narration.wav", content=wav)
        for encoded in narration_encode(wav, params["formats"], comment):
            media_file_save(job_id=ctx.job_id, name=encoded.name, content=encoded)
    return {"duration_s": round(narration.duration_s, 3), "sample_rate": narration.sample_rate,
            "engine": narration.engine, "speech": narration.is_speech,
            "note": None if narration.is_speech else PLACEHOLDER_NOTE,
            "segments": narration.segments, "files": _files(ctx.job_id)}


# The video pipeline: each step is its own Celery task on `media.video`; files pass through storage.

def video_script_step(ctx: JobContext, params: dict, outputs: dict) -> dict:
    report = ctx_stage(ctx, VIDEO_PIPELINE_WEIGHTS, "script", event_message("writing %(n)s scenes", n=params["scenes"]))
    script = script_generate(topic=params["topic"], tone=params["tone"], length=params["length"],
                             scenes=params["scenes"], characters=params["characters"], seed=params.get("seed"),
                             provider=params["script_provider"], report=report)
    media_file_save(job_id=ctx.job_id, name="script.json", content=json.dumps(script, indent=2))
    return {"script": script}


def video_images_step(ctx: JobContext, params: dict, outputs: dict) -> dict:
    script = outputs["script"]["script"]
    width, height = params["width"], params["height"]
    scenes, cast = script["scenes"], script["characters"]
    images_message = event_message("%(portraits)s portraits, %(scenes)s scenes", portraits=len(cast), scenes=len(scenes))
    report = ctx_stage(ctx, VIDEO_PIPELINE_WEIGHTS, "images", images_message)
    total, done = len(cast) + len(scenes) + 1, 0
    side = min(512, max(64, height))
    for i, character in enumerate(cast, 1):
        _save_png(ctx.job_id, f"character-{i:02d}-{_slug(character['name'])}.png",
                  portrait_render(name=character["name"], description=character["description"], width=side,
                                  height=side))
        done += 1
        report(done, total, event_message("portrait of %(name)s", name=character["name"]))
    _save_png(ctx.job_id, "title.png", title_card_render(title=script["title"], subtitle=script.get("logline", ""),
                                                         width=width, height=height))
    done += 1
    report(done, total, event_message("title card"))
    by_name = {c["name"]: c for c in cast}
    names = []
    for scene in scenes:
        name = f"scene-{scene['number']:02d}.png"
        in_scene = [by_name[n] for n in scene.get("characters", []) if n in by_name]
        _save_png(ctx.job_id, name, scene_render(setting=scene["setting"], visual=scene["visual"],
                                                 characters=in_scene, width=width, height=height))
        names.append(name)
        done += 1
        report(done, total, event_message("scene %(i)s of %(n)s", i=scene["number"], n=len(scenes)))
    return {"title_card": "title.png", "scenes": names}


def video_audio_step(ctx: JobContext, params: dict, outputs: dict) -> dict:
    scenes = outputs["script"]["script"]["scenes"]
    report = ctx_stage(ctx, VIDEO_PIPELINE_WEIGHTS, "audio", event_message("narrating %(n)s scenes", n=len(scenes)))
    narration = narration_synthesize(texts=[s["narration"] for s in scenes], voice=params["voice"], report=report)
    if not narration.is_speech:
        ctx.log(PLACEHOLDER_NOTE)
    comment = PLACEHOLDER_NOTE if not narration.is_speech else "Jobcast narration (espeak-ng)"
    with tempfile.TemporaryDirectory(prefix="jobcast-media-") as tmp:
        wav = wav_write(Path(tmp) / "narration.wav", narration.samples, narration.sample_rate, comment)
        media_file_save(job_id=ctx.job_id, name="narration.wav", content=wav)
    return {"file": "narration.wav", "duration_s": round(narration.duration_s, 3), "engine": narration.engine,
            "segments": narration.segments}


def video_render_step(ctx: JobContext, params: dict, outputs: dict) -> dict:
    script = outputs["script"]["script"]
    images, audio = outputs["images"], outputs["audio"]
    report = ctx_stage(ctx, VIDEO_PIPELINE_WEIGHTS, "video", event_message("rendering frames and encoding H.264 + AAC"))
    stored = {f.name: f for f in MediaFile.objects.filter(job_id=ctx.job_id)}
    with tempfile.TemporaryDirectory(prefix="jobcast-video-") as tmp_dir:
        tmp = Path(tmp_dir)
        local = {name: media_file_download_to(media_file=stored[name], target=tmp / name)
                 for name in [images["title_card"], *images["scenes"], audio["file"]]}
        with wave.open(str(local[audio["file"]])) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        info = video_assemble(title_card=local[images["title_card"]],
                              scene_pictures=[local[n] for n in images["scenes"]],
                              narrations=[s["narration"] for s in script["scenes"]], segments=audio["segments"],
                              samples=samples, sample_rate=rate, out=tmp / "video.mp4", srt_out=tmp / "subtitles.srt",
                              fps=params["fps"], title_seconds=params["title_seconds"], title=script["title"],
                              report=report)
        media_file_save(job_id=ctx.job_id, name="video.mp4", content=tmp / "video.mp4")
        media_file_save(job_id=ctx.job_id, name="subtitles.srt", content=tmp / "subtitles.srt")
    return {**info, "title": script["title"], "scenes": len(script["scenes"]), "narration": audio["engine"],
            "files": _files(ctx.job_id)}


def export_run(ctx: JobContext, params: dict) -> dict:
    """media.export: a ZIP of the selected jobs' files, built on disk file by file, then stored."""
    ctx.stage("zipping", message=event_message("%(n)s job(s)", n=len(params["job_ids"])))
    with tempfile.TemporaryDirectory(prefix="jobcast-export-") as tmp:
        archive = Path(tmp) / "export.zip"
        summary = export_zip_build(owner_id=ctx.owner_id, job_ids=params["job_ids"], out=archive,
                                   report=ctx_report(ctx, (0.0, 95.0)))
        ctx.stage("storing", progress=95.0)
        media_file_save(job_id=ctx.job_id, name="export.zip", content=archive)
    return {**summary, "files": _files(ctx.job_id)}


# The stage codes stay in events; the page shows these titles (issue 17).
STAGE_TITLES = (
    pgettext_lazy("stage", "writing"), pgettext_lazy("stage", "saving"), pgettext_lazy("stage", "drawing"),
    pgettext_lazy("stage", "synthesizing"), pgettext_lazy("stage", "encoding"),
    pgettext_lazy("stage", "zipping"), pgettext_lazy("stage", "storing"), pgettext_lazy("stage", "script"),
    pgettext_lazy("stage", "images"), pgettext_lazy("stage", "audio"), pgettext_lazy("stage", "video"),
    pgettext_lazy("stage", "waiting_for_provider"),
)


# --- registration ---------------------------------------------------------------------------

_RETRY_NETWORK = (httpx.TransportError, httpx.HTTPStatusError)

register(JobKind(
    name="media.script", example=examples.SCRIPT, title=_("Script"),
    description=_("A structured script (title, characters, scenes with narration and visuals) from a prompt."),
    params=ScriptParams, run=script_run, queue="media",
    soft_time_limit=600, time_limit=660, max_retries=2, retry_on=_RETRY_NETWORK, retry_backoff=5.0,
))
register(JobKind(
    name="media.character_images", example=examples.CHARACTER_IMAGES, title=_("Character images"),
    description=_("One captioned PNG portrait per character, drawn procedurally (or by the http provider)."),
    params=CharacterImagesParams, run=character_images_run, queue="media",
    soft_time_limit=900, time_limit=960, max_retries=2, retry_on=_RETRY_NETWORK, retry_backoff=5.0,
))
register(JobKind(
    name="media.audio", example=examples.AUDIO, title=_("Narration audio"),
    description=_("Narration as WAV (+ MP3/M4A): espeak-ng speech when installed, else a labelled placeholder."),
    params=AudioParams, run=audio_run, queue="media.audio",
    soft_time_limit=1200, time_limit=1260, max_retries=2, retry_on=_RETRY_NETWORK, retry_backoff=5.0,
))
register(JobKind(
    name="media.video", example=examples.VIDEO, title=_("Video"),
    description=_("Script → images → narration → MP4 (H.264 + AAC, title card, subtitles), one weighted bar."),
    params=VideoParams, queue="media.video", soft_time_limit=3000, time_limit=3300,
    pipeline=(
        PipelineStep("script", video_script_step, max_retries=2),
        PipelineStep("images", video_images_step),
        PipelineStep("audio", video_audio_step),
        PipelineStep("video", video_render_step),
    ),
    retry_on=_RETRY_NETWORK, retry_backoff=5.0,
))
register(JobKind(
    name="media.export", example=examples.export_example, title=_("ZIP export"),
    description=_("A ZIP of the output files of jobs you own, with a manifest."),
    params=ExportParams, run=export_run, queue="files", soft_time_limit=1800, time_limit=1860,
))
