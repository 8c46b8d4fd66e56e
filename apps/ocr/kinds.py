"""The `ocr.extract` job kind: three chained steps on queue `ocr`, each retried twice with backoff."""
from __future__ import annotations

import httpx
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs.limits import Setting
from apps.jobs.params import StrictParams
from apps.jobs.registry import JobKind, PipelineStep, register
from apps.ocr import pipeline, stages
from apps.ocr.diagnostics import diagnostic_fields, validate_diagnostics
from apps.ocr.examples import extract_example
from apps.ocr.selectors import documents_visible_to
from apps.ocr.services import KIND


class ExtractParams(StrictParams):
    """Either an existing document (`document_id`) or the text itself (`file_name`, `ocr_content`)."""

    document_id = serializers.IntegerField(min_value=1, required=False,
                                           help_text=_("Re-extract one of your OCR documents."))
    file_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    ocr_content = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                        max_length=Setting("OCR_MAX_TEXT_CHARS"),
                                        help_text=_("OCR text of the proposal (a document is created for it)."))

    def get_fields(self):
        return {**super().get_fields(), **diagnostic_fields()}

    def validate(self, attrs):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        has_text = bool((attrs.get("ocr_content") or "").strip())
        if attrs.get("document_id") is not None:
            if "ocr_content" in attrs:
                raise serializers.ValidationError({"ocr_content": [_("give either document_id or ocr_content")]})
            if user is None or not documents_visible_to(user).filter(pk=attrs["document_id"]).exists():
                raise serializers.ValidationError({"document_id": [_("no such document")]})
        elif not has_text:
            raise serializers.ValidationError({"ocr_content": [_("may not be empty (or give document_id)")]})
        validate_diagnostics(attrs, user)
        return attrs


def _step(name: str, run) -> PipelineStep:
    return PipelineStep(name, run, max_retries=Setting("OCR_STEP_MAX_RETRIES"))


# The stage codes stay in events; the page shows these titles (issue 17).
STAGE_TITLES = tuple(title for _code, title in stages.STAGE_CHOICES)


register(JobKind(
    name=KIND,
    title=_("Insurance proposal OCR extraction"),
    description=_("Extracts basic info, the annual policy value table and a plan summary from a proposal's "
                "OCR text, in three chained steps (extract_basic_info -> extract_table -> extract_summary)."),
    params=ExtractParams,
    example=lambda user: extract_example(),
    pipeline=(
        _step(stages.STEP_BASIC_INFO, pipeline.extract_basic_info),
        _step(stages.STEP_TABLE, pipeline.extract_table),
        _step(stages.STEP_SUMMARY, pipeline.extract_summary),
    ),
    queue="ocr",
    soft_time_limit=Setting("OCR_SOFT_TIME_LIMIT_S"),
    time_limit=Setting("OCR_TIME_LIMIT_S"),
    # Transient trouble is retried (a deterministic extraction bug is not: it would fail again).
    retry_on=(pipeline.InjectedFault, OperationalError, httpx.TransportError),
    retry_backoff=Setting("OCR_RETRY_BACKOFF_S"),
))
