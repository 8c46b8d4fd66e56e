"""Signal receivers: a finished `ocr.extract` job updates its document (failure -> `error`)."""
from __future__ import annotations

from apps.ocr import services


def on_job_finished(sender, *, job_id, kind: str, status: str, owner_id: int, **kwargs) -> None:
    """Whatever ended the job (a step, the reaper, a cancel), the document must not stay in progress."""
    if kind != services.KIND:
        return
    services.ocr_document_job_finished(job_id=job_id, status=status)
