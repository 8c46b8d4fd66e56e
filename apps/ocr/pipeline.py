"""The three pipeline steps of `ocr.extract`: basic info -> value table -> summary.

Each step is its own Celery task (a `PipelineStep`): it marks the document, extracts, stores
its output on the document before reporting the completed stage, and returns what the next
steps need. The document is written first and the stage event second, so a page that sees a
stage on the WebSocket finds the document at least that far.
"""
from __future__ import annotations

import time
from typing import Any

from apps.jobs.context import JobContext
from apps.jobs.messages import event_message
from apps.jobs.selectors import job_events_after
from apps.ocr import services, stages
from apps.ocr.extraction.extractor import extractor_for
from apps.ocr.extraction.summary import build_summary, summary_figures
from apps.ocr.models import OcrDocument

_MAX_LOGGED_WARNINGS = 20  # the table keeps them all; the job log carries the first ones


class InjectedFault(Exception):
    """A transient failure injected on purpose (`fail_stage`, staff diagnostics); retried like a real one."""


_MESSAGES = {
    stages.EXTRACTING_BASIC_INFO: event_message("Extracting basic info"),
    stages.BASIC_INFO_COMPLETED: event_message("Basic info extracted"),
    stages.EXTRACTING_TABLE: event_message("Extracting the policy value table"),
    stages.TABLE_COMPLETED: event_message("Policy value table extracted"),
    stages.EXTRACTING_SUMMARY: event_message("Extracting the plan summary"),
    stages.ALL_COMPLETED: event_message("All extracted"),
}


def extract_basic_info(ctx: JobContext, params: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """Step 1: insured person, plan, amounts and terms."""
    document = services.ocr_document_for_job(job_id=ctx.job_id, owner_id=ctx.owner_id, params=params)
    _report(ctx, params, document.pk, stages.EXTRACTING_BASIC_INFO)
    _maybe_fail(ctx, params, stages.STEP_BASIC_INFO)
    info, source = extractor_for(ctx.log).basic_info(document.ocr_content)
    _report(ctx, params, document.pk, stages.BASIC_INFO_COMPLETED, extractor=source, basic_info=info)
    return {"document_id": document.pk, "extractor": source, "basic_info": info}


def extract_table(ctx: JobContext, params: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """Step 2: the annual policy value table."""
    document = _document(ctx, outputs)
    _report(ctx, params, document.pk, stages.EXTRACTING_TABLE)
    _maybe_fail(ctx, params, stages.STEP_TABLE)
    table, source = extractor_for(ctx.log).table(document.ocr_content, document.basic_info)
    if table.get("warnings"):
        checked = table.get("verification") or {}
        ctx.log(f"value table: {len(table['warnings'])} warning(s), {checked.get('verified', 0)} of "
                f"{checked.get('rows', 0)} rows verified", verification=checked,
                warnings=table["warnings"][:_MAX_LOGGED_WARNINGS])
    _report(ctx, params, document.pk, stages.TABLE_COMPLETED, extractor=source, rows=len(table["rows"]),
            table_data=table)
    return {"document_id": document.pk, "extractor": source, "rows": len(table["rows"])}


def extract_summary(ctx: JobContext, params: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """Step 3: figures from the table and the plan's key points; the job's result."""
    document = _document(ctx, outputs)
    _report(ctx, params, document.pk, stages.EXTRACTING_SUMMARY)
    _maybe_fail(ctx, params, stages.STEP_SUMMARY)
    basic_info, table = document.basic_info or {}, document.table_data or {"rows": []}
    key_points, source = extractor_for(ctx.log).key_points(
        document.ocr_content, basic_info, summary_figures(table["rows"]))
    summary = build_summary(basic_info, table, key_points)
    _report(ctx, params, document.pk, stages.ALL_COMPLETED, extractor=source, summary=summary)
    return {"document_id": document.pk, "links": {"document": f"/api/ocr/documents/{document.pk}/"},
            "basic_info": basic_info, "rows": len(table["rows"]), "summary": summary}


def _document(ctx: JobContext, outputs: dict[str, Any]) -> OcrDocument:
    document_id = outputs[stages.STEP_BASIC_INFO]["document_id"]
    document = OcrDocument.objects.filter(pk=document_id, job_id=ctx.job_id).first()
    if document is None:
        raise services.DocumentSuperseded(f"document {document_id} is no longer extracted by job {ctx.job_id}")
    return document


def _report(ctx: JobContext, params: dict[str, Any], document_id: int, stage: str,
            extractor: str | None = None, rows: int | None = None, **document_fields: Any) -> None:
    """Write the document (stage and outputs), then emit the same stage on the job."""
    services.ocr_document_stage(document_id=document_id, job_id=ctx.job_id, stage=stage, **document_fields)
    data = {key: value for key, value in (("extractor", extractor), ("rows", rows), ("document_id", document_id))
            if value is not None}
    ctx.stage(stage, stages.PERCENT[stage], _MESSAGES[stage], **data)
    pause_ms = params.get("stage_pause_ms") or 0
    if pause_ms:
        time.sleep(pause_ms / 1000.0)  # staff diagnostics: let a page watch each stage
        ctx.check_cancelled()


def _maybe_fail(ctx: JobContext, params: dict[str, Any], step: str) -> None:
    """`fail_stage`: the step fails its first `fail_times` runs, counted in the job's own event log."""
    if params.get("fail_stage") != step:
        return
    entering = {stages.STEP_BASIC_INFO: stages.EXTRACTING_BASIC_INFO, stages.STEP_TABLE: stages.EXTRACTING_TABLE,
                stages.STEP_SUMMARY: stages.EXTRACTING_SUMMARY}[step]
    runs = sum(1 for event in job_events_after(ctx.job_id) if event.event == "stage" and event.stage == entering)
    fail_times = params.get("fail_times") or 3
    if runs <= fail_times:
        raise InjectedFault(f"fault injected in {step} (run {runs} of the first {fail_times} that fail)")
