"""Output files of media jobs: saved through Django's default storage, owned through their job.

Storage names are `media/<owner id>/<job id>/<name>`; the download URL goes through our own
view (never MEDIA_URL), which serves a file only to the job's owner.
"""
from __future__ import annotations

import mimetypes
import re
import shutil
import uuid
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from apps.jobs.models import Job
from apps.jobs.selectors import job_uuid_for
from apps.media.models import MediaFile

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class UnsafeFileName(ValueError):
    """A file name with a path separator, a leading dot or odd characters."""


def _storage_name(owner_id: int, job_id: uuid.UUID | str, name: str) -> str:
    return f"media/{owner_id}/{job_id}/{name}"


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def media_file_save(*, job_id: uuid.UUID | str, name: str, content: bytes | str | Path) -> MediaFile:
    """Store one output of a job (bytes, text, or a local file copied in chunks); replaces a same-named one.

    A retried attempt writes the same names again, so the previous copy is removed first.
    """
    if not _SAFE_NAME.match(name):
        raise UnsafeFileName(f"unsafe output file name {name!r}")
    owner_id = Job.objects.values_list("owner_id", flat=True).get(pk=job_id)
    storage_name = _storage_name(owner_id, job_id, name)
    old = MediaFile.objects.filter(job_id=job_id, name=name).first()
    if old is not None:
        default_storage.delete(old.path)
        old.delete()
    if default_storage.exists(storage_name):
        default_storage.delete(storage_name)
    if isinstance(content, Path):
        with content.open("rb") as fh:
            saved = default_storage.save(storage_name, File(fh, name=name))
    else:
        data = content.encode() if isinstance(content, str) else content
        saved = default_storage.save(storage_name, ContentFile(data, name=name))
    with transaction.atomic():
        return MediaFile.objects.create(job_id=job_id, name=name, path=saved,
                                        size=default_storage.size(saved), content_type=_content_type(name))


def media_file_download_to(*, media_file: MediaFile, target: Path) -> Path:
    """Copy a stored file to a local path (ffmpeg and zipfile want real files), in chunks."""
    with default_storage.open(media_file.path, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    return target


def media_file_open(media_file: MediaFile) -> IO[bytes]:
    return default_storage.open(media_file.path, "rb")


def media_files_of(job_id: uuid.UUID | str) -> list[MediaFile]:
    return list(MediaFile.objects.filter(job_id=job_id).order_by("name"))


def media_file_for_owner(*, user, job_id: str, name: str) -> MediaFile | None:
    """The file if the user owns its job; None otherwise (existence is not revealed)."""
    job_uuid = job_uuid_for(user, job_id)
    return None if job_uuid is None else MediaFile.objects.filter(job_id=job_uuid, job__owner=user, name=name).first()


def file_url(job_id: uuid.UUID | str, name: str) -> str:
    return f"/api/media/files/{job_id}/{name}"


def file_payload(media_file: MediaFile) -> dict[str, Any]:
    """How an output file appears in a job's result."""
    return {"name": media_file.name, "url": file_url(media_file.job_id, media_file.name),
            "size": media_file.size, "content_type": media_file.content_type}
