"""ZIP export of the output files of jobs a user owns, written file by file (never whole in memory)."""
from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from pathlib import Path
from typing import Any

from apps.jobs.messages import event_message
from apps.jobs.models import Job
from apps.media.files import file_url, media_file_open
from apps.media.models import MediaFile
from apps.media.progress import Report, silent

# Already-compressed formats are stored as they are: deflating them again only burns CPU.
_STORED = (".png", ".mp4", ".mp3", ".m4a", ".zip", ".jpg", ".jpeg")


class ExportForbidden(PermissionError):
    """A selected job does not exist or belongs to someone else."""


def export_zip_build(*, owner_id: int, job_ids: list[str], out: Path, report: Report = silent) -> dict[str, Any]:
    """Write a ZIP of every output file of `job_ids` to `out`, one folder per job, plus a manifest."""
    wanted = [uuid.UUID(str(j)) for j in job_ids]
    jobs = {job.pk: job for job in Job.objects.filter(pk__in=wanted, owner_id=owner_id)}
    missing = [str(j) for j in wanted if j not in jobs]
    if missing:
        raise ExportForbidden(f"jobs not found: {', '.join(missing)}")
    files = list(MediaFile.objects.filter(job_id__in=wanted).order_by("job_id", "name"))
    manifest: dict[str, Any] = {"jobs": [{"id": str(j.pk), "kind": j.kind, "status": j.status,
                                          "folder": _folder(j)} for j in (jobs[w] for w in wanted)],
                                "files": []}
    total_bytes = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for index, media_file in enumerate(files, 1):
            arcname = f"{_folder(jobs[media_file.job_id])}/{media_file.name}"
            info = zipfile.ZipInfo(arcname)
            info.compress_type = zipfile.ZIP_STORED if media_file.name.lower().endswith(_STORED) \
                else zipfile.ZIP_DEFLATED
            with media_file_open(media_file) as src, archive.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            total_bytes += media_file.size
            manifest["files"].append({"path": arcname, "size": media_file.size,
                                      "source": file_url(media_file.job_id, media_file.name)})
            report(index, len(files), event_message("%(file)s (%(i)s of %(n)s)", file=arcname, i=index, n=len(files)))
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    if not files:
        report(1, 1, event_message("no output files in the selected jobs; the ZIP holds only the manifest"))
    return {"entries": len(files), "bytes": total_bytes, "jobs": len(wanted)}


def _folder(job: Job) -> str:
    return f"{job.kind.replace('.', '-')}-{str(job.pk)[:8]}"
