"""Response shapes of the media API: a job's output files, and each media kind's job result.

The kinds' bodies build their results as dicts (apps.media.kinds); these serializers document
them. A job handed to the http provider ends with the provider's own result instead.
"""
from __future__ import annotations

from rest_framework import serializers

from apps.jobs.serializers import documents_result


class MediaFileSerializer(serializers.Serializer):
    """`files.file_payload`: one output file of a job."""

    name = serializers.CharField()
    url = serializers.CharField(help_text="/api/media/files/<job_id>/<name> (the owner downloads it there)")
    size = serializers.IntegerField(min_value=0, help_text="bytes")
    content_type = serializers.CharField()


class MediaFileListSerializer(serializers.Serializer):
    """`GET /api/media/files/<job_id>/`."""

    job_id = serializers.UUIDField()
    files = MediaFileSerializer(many=True)


class _MediaResult(serializers.Serializer):
    files = MediaFileSerializer(many=True, help_text="Every file the job stored.")


@documents_result("media.script")
class ScriptResultSerializer(_MediaResult):
    title = serializers.CharField()
    script = serializers.DictField(help_text="title, logline, characters, scenes (number, title, setting, "
                                             "narration, …)")


class CharacterImageSerializer(MediaFileSerializer):
    character = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


@documents_result("media.character_images")
class CharacterImagesResultSerializer(_MediaResult):
    images = CharacterImageSerializer(many=True)


@documents_result("media.audio")
class AudioResultSerializer(_MediaResult):
    duration_s = serializers.FloatField()
    sample_rate = serializers.IntegerField()
    engine = serializers.CharField()
    speech = serializers.BooleanField(help_text="false: a placeholder tone (no speech engine installed)")
    note = serializers.CharField(allow_null=True)
    segments = serializers.ListField(child=serializers.DictField(), help_text="index, start_s, … per scene")


@documents_result("media.video")
class VideoResultSerializer(_MediaResult):
    title = serializers.CharField()
    scenes = serializers.IntegerField()
    narration = serializers.CharField(help_text="The narration's engine.")
    duration_s = serializers.FloatField()
    frames = serializers.IntegerField()
    fps = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    subtitles = serializers.IntegerField(help_text="Subtitle cues in subtitles.srt.")


@documents_result("media.export")
class ExportResultSerializer(_MediaResult):
    entries = serializers.IntegerField(help_text="Files in the ZIP.")
    bytes = serializers.IntegerField()
    jobs = serializers.IntegerField(help_text="Jobs whose files it holds.")
