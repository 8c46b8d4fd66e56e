"""Download of media output files: only the job's owner gets them; anyone else gets a 404."""
from __future__ import annotations

import uuid

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs.models import Job
from apps.media.files import file_payload, media_file_for_owner, media_file_open, media_files_of
from apps.media.serializers import MediaFileListSerializer


class MediaFileListView(APIView):
    @extend_schema(responses=MediaFileListSerializer, summary="The output files of one of your jobs",
                   operation_id="api_media_files_list")
    def get(self, request, job_id: str):
        job = Job.objects.filter(pk=_uuid_or_404(job_id), owner=request.user).first()
        if job is None:
            raise Http404("no such job")
        return Response({"job_id": str(job.pk), "files": [file_payload(f) for f in media_files_of(job.pk)]})


class MediaFileDownloadView(APIView):
    @extend_schema(operation_id="api_media_files_download",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   summary="Download an output file of one of your jobs")
    def get(self, request, job_id: str, name: str):
        media_file = media_file_for_owner(user=request.user, job_id=job_id, name=name)
        if media_file is None:
            raise Http404("no such file")
        return FileResponse(media_file_open(media_file), as_attachment=True, filename=media_file.name,
                            content_type=media_file.content_type)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("no such job") from None
