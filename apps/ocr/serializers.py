"""Wire shapes of the OCR API: the save request, a document, its status (the replaced system's shapes)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs.events import format_ts
from apps.ocr.diagnostics import diagnostic_fields, validate_diagnostics
from apps.ocr.models import OcrDocument
from apps.ocr.pdf import NotAPdf, pdf_text


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
