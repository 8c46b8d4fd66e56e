"""Use cases of OCR documents: save one (and start its pipeline), record a stage, finish, retry.

The pipeline steps (apps/ocr/pipeline.py) and the views call these; a document's status fields
are written only here.
"""
from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.jobs import services as job_services
from apps.jobs import states as job_states
from apps.jobs.models import Job
from apps.ocr import stages
from apps.ocr.models import OcrDocument

KIND = "ocr.extract"


class DocumentSuperseded(Exception):
    """A newer job took over the document; this job's remaining steps must not write to it."""


class DocumentConflict(Exception):
    """The document's job does not allow the action (e.g. retrying one that did not fail)."""


def ocr_document_save(*, owner, file_name: str, ocr_content: str, source: str = "text",
                      diagnostics: dict[str, Any] | None = None) -> OcrDocument:
    """Store the text and start its extraction job; both or neither (the job is sent on commit)."""
    with transaction.atomic():
        document = OcrDocument.objects.create(owner=owner, file_name=file_name, ocr_content=ocr_content,
                                              source=source)
        params = {"document_id": document.pk, **(diagnostics or {})}
        job = job_services.job_create(owner=owner, kind=KIND, params=params)
        document.job = job
        document.save(update_fields=["job", "updated_at"])
    return document


def ocr_document_for_job(*, job_id: uuid.UUID, owner_id: int, params: dict[str, Any]) -> OcrDocument:
    """The document a job extracts, claimed by that job (created when the job carries the text itself)."""
    with transaction.atomic():
        if params.get("document_id") is not None:
            document = OcrDocument.objects.select_for_update().get(pk=params["document_id"])
            if document.job_id != job_id:
                OcrDocument.objects.filter(job_id=job_id).exclude(pk=document.pk).update(job=None)
                document.job_id = job_id
                document.save(update_fields=["job", "updated_at"])
            return document
        document, _ = OcrDocument.objects.get_or_create(job_id=job_id, defaults={
            "owner_id": owner_id, "file_name": params.get("file_name", ""), "ocr_content": params["ocr_content"]})
        return document


def ocr_document_stage(*, document_id: int, job_id: uuid.UUID, stage: str, **outputs: Any) -> None:
    """Move the document to `stage` (with the old API's percentage), storing any step outputs with it."""
    status = stages.STATUS_COMPLETED if stage == stages.ALL_COMPLETED else stages.STATUS_PROCESSING
    updated = OcrDocument.objects.filter(pk=document_id, job_id=job_id).update(
        processing_stage=stage, progress_percentage=stages.PERCENT[stage], status=status, error_message=None,
        last_processed_at=timezone.now(), updated_at=timezone.now(), **outputs)
    if not updated:
        raise DocumentSuperseded(f"document {document_id} is no longer extracted by job {job_id}")


def ocr_document_job_finished(*, job_id: uuid.UUID, status: str) -> None:
    """A failed or cancelled job leaves its document in `error`, with a message naming the stage."""
    if status == job_states.SUCCESS:
        return  # the last step already wrote all_completed
    document = OcrDocument.objects.filter(job_id=job_id).first()
    if document is None or document.status == stages.STATUS_COMPLETED:
        return
    if status == job_states.REVOKED:
        message = f"cancelled during {document.processing_stage}"
    else:
        error = Job.objects.filter(pk=job_id).values_list("error", flat=True).first() or {}
        message = error.get("message") or "the extraction failed"
        if not any(step in message for step in stages.STEPS):
            message = f"{message} (during {document.processing_stage})"
    OcrDocument.objects.filter(pk=document.pk, job_id=job_id).update(
        processing_stage=stages.ERROR, status=stages.STATUS_ERROR, error_message=message,
        last_processed_at=timezone.now(), updated_at=timezone.now())


def ocr_document_retry(*, document: OcrDocument) -> OcrDocument:
    """Retry the failed job: it resumes at the failed step, and the document shows where it resumes."""
    if document.job_id is None:
        raise DocumentConflict(gettext("the document has no extraction job to retry"))
    if document.job.status not in job_states.RETRYABLE:
        # Checked here too: the core's transition table lets pending -> pending through.
        raise DocumentConflict(gettext("only a failed or cancelled extraction can be retried; this one is %(status)s")
                               % {"status": document.job.status})
    if document.basic_info is None:
        stage = stages.PENDING
    elif document.table_data is None:
        stage = stages.BASIC_INFO_COMPLETED
    else:
        stage = stages.TABLE_COMPLETED
    # One transaction: the resumed step is sent on commit, so it cannot write before this does.
    with transaction.atomic():
        try:
            job_services.job_retry(job=document.job)
        except job_services.JobConflict as exc:
            raise DocumentConflict(str(exc)) from None
        OcrDocument.objects.filter(pk=document.pk).update(
            processing_stage=stage, progress_percentage=stages.PERCENT[stage],
            status=stages.STATUS_PENDING if stage == stages.PENDING else stages.STATUS_PROCESSING,
            error_message=None, updated_at=timezone.now())
    document.refresh_from_db()
    return document
