"""Wire shapes of the OCR API: the save request, a document, its status (the replaced system's shapes)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from apps.jobs.events import format_ts
from apps.jobs.serializers import ErrorDetailSerializer, documents_result
from apps.ocr import stages
from apps.ocr.diagnostics import diagnostic_fields, validate_diagnostics
from apps.ocr.models import OcrDocument
from apps.ocr.pdf import NotAPdf, pdf_text
from project.openapi import enum_component


class OcrSaveSerializer(serializers.Serializer):
    """`{"file_name", "ocr_content"}` as JSON, or a multipart PDF upload in `file`.

    `user_id` is honoured for staff only (saving on someone's behalf); for others it is ignored,
    the owner is always the authenticated user.
    """

    file_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    ocr_content = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, help_text=_("A PDF whose text layer is read instead of ocr_content."))
    user_id = serializers.IntegerField(required=False, allow_null=True)

    def get_fields(self):
        return {**super().get_fields(), **diagnostic_fields()}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        upload = attrs.pop("file", None)
        text = attrs.get("ocr_content")
        if upload is not None and text:
            raise serializers.ValidationError({"file": [gettext("give either a PDF file or ocr_content, not both")]})
        if upload is not None:
            try:
                text = pdf_text(upload.read(), max_pages=settings.OCR_PDF_MAX_PAGES)
            except NotAPdf as exc:
                raise serializers.ValidationError({"file": [str(exc)]}) from None
            attrs["source"] = "pdf"
            attrs["file_name"] = attrs.get("file_name") or upload.name
        else:
            attrs["source"] = "text"
        if text is None or not text.strip():
            raise serializers.ValidationError(
                {"ocr_content": [gettext("may not be empty: send the OCR text (or a PDF as file)")]})
        if len(text) > settings.OCR_MAX_TEXT_CHARS:
            raise serializers.ValidationError(
                {"ocr_content": [gettext("is %(n)s characters; the limit is %(limit)s (OCR_MAX_TEXT_CHARS)")
                                 % {"n": len(text), "limit": settings.OCR_MAX_TEXT_CHARS}]})
        attrs["ocr_content"] = text
        attrs["owner"] = self._owner(user, attrs.pop("user_id", None))
        attrs["diagnostics"] = validate_diagnostics(attrs, user)
        for name in attrs["diagnostics"]:
            attrs.pop(name)
        return attrs

    @staticmethod
    def _owner(user, user_id: int | None):
        if user_id is None or not user.is_staff or user_id == user.pk:
            return user  # the old system trusted user_id from anyone: that was a hole
        owner = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if owner is None:
            raise serializers.ValidationError({"user_id": [gettext("no such user")]})
        return owner


def status_payload(document: OcrDocument) -> dict[str, Any]:
    """The old polling shape, plus the job a page can subscribe to on /ws/jobs/<job_id>/."""
    return {
        "processing_stage": document.processing_stage,
        "progress_percentage": document.progress_percentage,
        "last_processed_at": _ts(document.last_processed_at),
        "status": document.status,
        "error_message": document.error_message,
        "job_id": str(document.job_id) if document.job_id else None,
        "ws": f"/ws/jobs/{document.job_id}/" if document.job_id else None,
    }


def document_payload(document: OcrDocument, *, with_content: bool = True) -> dict[str, Any]:
    """A document with its extracted data (the list leaves the OCR text and the table out)."""
    data: dict[str, Any] = {
        "id": document.pk,
        "file_name": document.file_name,
        "source": document.source,
        "owner_id": document.owner_id,
        "created_at": _ts(document.created_at),
        "updated_at": _ts(document.updated_at),
        **status_payload(document),
        "basic_info": document.basic_info,
        "summary": document.summary,
    }
    if with_content:
        data["table_data"] = document.table_data
        data["ocr_content"] = document.ocr_content
    return data


def _ts(value) -> str | None:
    return format_ts(value) if value else None


# --- response shapes (documenting the payload builders above and the views' envelopes) ---------

DocumentStatusField = enum_component("OcrDocumentStatus", [value for value, _ in stages.STATUS_CHOICES])


class OcrStatusSerializer(serializers.Serializer):
    """`status_payload`: the old polling shape, plus the job to watch."""

    processing_stage = serializers.ChoiceField(choices=stages.STAGE_CHOICES)
    progress_percentage = serializers.IntegerField(min_value=0, max_value=100)
    last_processed_at = serializers.DateTimeField(allow_null=True)
    status = DocumentStatusField()
    error_message = serializers.CharField(allow_null=True, allow_blank=True)
    job_id = serializers.UUIDField(allow_null=True, help_text="The extraction job; its events stream on `ws`.")
    ws = serializers.CharField(allow_null=True, help_text="/ws/jobs/<job_id>/")


class OcrBasicInfoSerializer(serializers.Serializer):
    """Step 1's output: who is insured, under which plan (null where the proposal does not say)."""

    insured_name = serializers.CharField(allow_null=True, required=False)
    age = serializers.IntegerField(allow_null=True, required=False)
    gender = serializers.CharField(allow_null=True, required=False, help_text="male or female")
    product_name = serializers.CharField(allow_null=True, required=False)
    currency = serializers.CharField(allow_null=True, required=False, help_text="ISO 4217, e.g. USD")
    sum_assured = serializers.FloatField(allow_null=True, required=False)
    annual_premium = serializers.FloatField(allow_null=True, required=False)
    payment_term_years = serializers.IntegerField(allow_null=True, required=False)
    coverage_term = serializers.CharField(allow_null=True, required=False)
    language = serializers.CharField(required=False, help_text="en, zh-Hant or zh-Hans")


class OcrTableSerializer(serializers.Serializer):
    """Step 2's output, the annual policy value table (other keys may be added by the parser)."""

    columns = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.DictField(), help_text=(
        "One per policy year, keyed by the stable column names read from the header (docs/ocr.md): "
        "policy_year, age, total_premiums_paid, guaranteed_cash_value, non_guaranteed_reversionary_bonus, "
        "non_guaranteed_terminal_bonus, non_guaranteed_bonus, total_surrender_value, death_benefit, "
        "and a slug of any other column's header (null where not printed)."))
    headers = serializers.DictField(required=False, help_text="Each column's name -> the header words it was read from.")
    warnings = serializers.ListField(child=serializers.DictField(), required=False, help_text=(
        "Rows kept but flagged by the cross-checks, or text that could not be read: the row and the reason."))
    verification = serializers.DictField(required=False, help_text=(
        "status (verified, partly_verified, failed, not_checkable) and the counts of rows checked and verified."))


class OcrSummarySerializer(serializers.Serializer):
    """Step 3's output: figures computed from the table, and key points."""

    product_name = serializers.CharField(allow_null=True, required=False)
    insured_name = serializers.CharField(allow_null=True, required=False)
    currency = serializers.CharField(allow_null=True, required=False)
    annual_premium = serializers.FloatField(allow_null=True, required=False)
    payment_term_years = serializers.IntegerField(allow_null=True, required=False)
    total_premiums = serializers.FloatField(allow_null=True, required=False)
    table_rows = serializers.IntegerField(required=False)
    break_even_year = serializers.IntegerField(allow_null=True, required=False)
    break_even_age = serializers.IntegerField(allow_null=True, required=False)
    milestones = serializers.ListField(child=serializers.DictField(), required=False, help_text=(
        "Policy years 10/20/30: values, value_multiple and irr_percent of surrendering then."))
    key_points = serializers.ListField(child=serializers.CharField(), required=False)
    verification = serializers.DictField(required=False, help_text="The table's cross-check verdict and counts.")
    figures_verified = serializers.BooleanField(required=False, help_text="True only when every row passed.")
    table_warnings = serializers.IntegerField(required=False, help_text="How many rows or lines were flagged.")
    value_column = serializers.CharField(required=False, allow_null=True, help_text=(
        "The column the break-even year and IRR come from (total_surrender_value, or the cash value)."))


class OcrDocumentSerializer(OcrStatusSerializer):
    """`document_payload`; the list leaves `table_data` and `ocr_content` out."""

    id = serializers.IntegerField()
    file_name = serializers.CharField(allow_blank=True)
    source = serializers.ChoiceField(choices=OcrDocument.SOURCE_CHOICES)
    owner_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    basic_info = OcrBasicInfoSerializer(allow_null=True)
    summary = OcrSummarySerializer(allow_null=True)
    table_data = OcrTableSerializer(allow_null=True, required=False, help_text="Not in the list.")
    ocr_content = serializers.CharField(required=False, allow_blank=True, help_text="Not in the list.")


class OcrSaveAnswerSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"success"')
    message = serializers.CharField()
    document_id = serializers.IntegerField()
    job_id = serializers.UUIDField(help_text="The extraction job (watch it on /ws/jobs/<job_id>/).")


class OcrErrorSerializer(serializers.Serializer):
    """The old error shape; a 400 names each offending field in `errors`."""

    status = serializers.CharField(help_text='"error"')
    message = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="Field name -> its messages (400 only).")


# The views answer the old shape; what never reaches them gets DRF's or the project's `{"detail"}`
# (a body that is not JSON, a path whose id is not a number).
OCR_ERROR = PolymorphicProxySerializer(component_name="OcrErrorOrDetail", resource_type_field_name=None,
                                       serializers=[OcrErrorSerializer, ErrorDetailSerializer])


class OcrDocumentListAnswerSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"success"')
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    data = OcrDocumentSerializer(many=True)


class OcrDocumentAnswerSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"success"')
    data = OcrDocumentSerializer()


class OcrStatusAnswerSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"success"')
    data = OcrStatusSerializer()


class OcrLinksSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="/api/ocr/documents/<document_id>/")


@documents_result("ocr.extract")
class OcrExtractResultSerializer(serializers.Serializer):
    """`ocr.extract`'s job result (the last step's output); the table is on the document."""

    document_id = serializers.IntegerField()
    links = OcrLinksSerializer()
    basic_info = OcrBasicInfoSerializer()
    rows = serializers.IntegerField(help_text="Rows of the value table.")
    summary = OcrSummarySerializer()
