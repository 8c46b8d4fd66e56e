"""The three steps run directly with a real JobContext: document writes, stage events, failures."""
import pytest

from apps.jobs import events
from apps.jobs.context import JobContext
from apps.jobs.models import Event, Job
from apps.ocr import pipeline, services
from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.models import OcrDocument

pytestmark = pytest.mark.django_db

STAGES = [("extracting_basic_info", 20.0), ("basic_info_completed", 33.0), ("extracting_table", 50.0),
          ("table_completed", 66.0), ("extracting_summary", 80.0), ("all_completed", 100.0)]


def started_context(job: Job) -> JobContext:
    events.record(job.pk, "started", message="started")
    return JobContext(Job.objects.get(pk=job.pk), min_interval_ms=0)


def test_three_steps_store_outputs_and_report_every_stage(alice, zh_hant):
    document = services.ocr_document_save(owner=alice, file_name="p.pdf", ocr_content=zh_hant)
    ctx = started_context(document.job)
    params = document.job.params
    first = pipeline.extract_basic_info(ctx, params, {})
    assert first["basic_info"] == extract_basic_info(zh_hant) and first["extractor"] == "rules"
    assert OcrDocument.objects.get(pk=document.pk).processing_stage == "basic_info_completed"
    outputs = {"extract_basic_info": first}
    outputs["extract_table"] = pipeline.extract_table(ctx, params, outputs)
    result = pipeline.extract_summary(ctx, params, outputs)

    document.refresh_from_db()
    assert (document.processing_stage, document.progress_percentage, document.status) == (
        "all_completed", 100, "completed")
    assert document.last_processed_at is not None and document.error_message is None
    assert len(document.table_data["rows"]) == 30 and document.summary["break_even_year"] == 9
    assert result["summary"] == document.summary and result["document_id"] == document.pk
    stage_events = Event.objects.filter(job_id=document.job_id, event="stage").order_by("seq")
    assert [(e.stage, e.progress) for e in stage_events] == STAGES


def test_a_job_carrying_its_text_creates_its_document(alice, en):
    job = Job.objects.create(owner=alice, kind="ocr.extract", queue="ocr",
                             params={"file_name": "p.txt", "ocr_content": en})
    events.record(job.pk, "pending")
    ctx = started_context(job)
    out = pipeline.extract_basic_info(ctx, job.params, {})
    document = OcrDocument.objects.get(job=job)
    assert (document.pk, document.owner, document.file_name) == (out["document_id"], alice, "p.txt")
    assert document.basic_info["insured_name"] == "John Smith"


def test_an_injected_fault_fails_the_first_runs_only(staff, en):
    document = services.ocr_document_save(owner=staff, file_name="p", ocr_content=en,
                                          diagnostics={"fail_stage": "extract_table", "fail_times": 2})
    ctx = started_context(document.job)
    outputs = {"extract_basic_info": pipeline.extract_basic_info(ctx, document.job.params, {})}
    for run in (1, 2):
        with pytest.raises(pipeline.InjectedFault, match=f"run {run} of the first 2"):
            pipeline.extract_table(ctx, document.job.params, outputs)
    assert pipeline.extract_table(ctx, document.job.params, outputs)["rows"] == 14


def test_a_superseded_document_is_not_written_by_the_old_job(alice, en):
    document = services.ocr_document_save(owner=alice, file_name="p", ocr_content=en)
    ctx = started_context(document.job)
    outputs = {"extract_basic_info": pipeline.extract_basic_info(ctx, document.job.params, {})}
    OcrDocument.objects.filter(pk=document.pk).update(job=None)
    with pytest.raises(services.DocumentSuperseded):
        pipeline.extract_table(ctx, document.job.params, outputs)


def test_a_failed_job_puts_its_document_in_error_naming_the_step(alice, en, django_capture_on_commit_callbacks):
    document = services.ocr_document_save(owner=alice, file_name="p", ocr_content=en)
    started_context(document.job)
    message = "step 'extract_table' failed after 2 retries: boom"
    with django_capture_on_commit_callbacks(execute=True):
        events.record(document.job_id, "failure", message=message, error={"type": "X", "message": message})
    document.refresh_from_db()
    assert (document.processing_stage, document.status, document.error_message) == ("error", "error", message)


def test_a_cancelled_job_puts_its_document_in_error(alice, en, django_capture_on_commit_callbacks):
    document = services.ocr_document_save(owner=alice, file_name="p", ocr_content=en)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(document.job_id, "revoked", message="cancelled")
    document.refresh_from_db()
    assert (document.status, document.error_message) == ("error", "cancelled during pending")


GARBLED = """Benefit Illustration
Policy Year   Age   Total Premiums Paid   Guaranteed Cash Value   Bonus   Total Surrender Value
1    41    10,000    5,000     100    9,000
2    42    20,000    8,000     500    4,500
3    4 3 2 1 0 9 8 7 6 5 4 3
4    44    40,000   16,000   1,000   61,000
Page 2 of 2
"""


def test_odd_input_completes_with_warnings_and_a_summary_that_says_so(alice):
    document = services.ocr_document_save(owner=alice, file_name="scan.txt", ocr_content=GARBLED)
    ctx = started_context(document.job)
    params = document.job.params
    outputs = {"extract_basic_info": pipeline.extract_basic_info(ctx, params, {})}
    outputs["extract_table"] = pipeline.extract_table(ctx, params, outputs)
    result = pipeline.extract_summary(ctx, params, outputs)

    document.refresh_from_db()
    assert document.status == "completed" and len(document.table_data["rows"]) == 3
    assert {w.get("code") or w.get("check") for w in document.table_data["warnings"]} == {
        "unreadable_row", "values_add_up"}
    assert result["summary"]["verification"]["status"] == "failed"
    assert result["summary"]["key_points"][0].startswith("Caution: 3 of the 3 table rows fail the cross-checks")
    logs = Event.objects.filter(job_id=document.job_id, event="log")
    assert [e.message for e in logs] == ["value table: 4 warning(s), 0 of 3 rows verified"]
