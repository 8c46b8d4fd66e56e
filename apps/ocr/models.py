"""An OCR'd insurance proposal and what the pipeline extracted from it."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.ocr import stages


class OcrDocument(models.Model):
    """One proposal's text, its processing status (the old polling shape) and its extracted data."""

    SOURCE_CHOICES = [("text", _("pasted OCR text")), ("pdf", _("PDF text layer"))]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocr_documents",
                              verbose_name=_("owner"))
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    source = models.CharField(_("source"), max_length=8, choices=SOURCE_CHOICES, default="text")
    ocr_content = models.TextField(_("OCR text"))
    # The job extracting it now (the latest one); its events stream on /ws/jobs/<job id>/.
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("job"))

    processing_stage = models.CharField(_("processing stage"), max_length=32, choices=stages.STAGE_CHOICES, default=stages.PENDING)
    progress_percentage = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=stages.STATUS_CHOICES, default=stages.STATUS_PENDING)
    error_message = models.TextField(_("error message"), null=True, blank=True)
    last_processed_at = models.DateTimeField(_("last processed"), null=True, blank=True)

    basic_info = models.JSONField(_("basic information"), null=True, blank=True)
    table_data = models.JSONField(_("table data"), null=True, blank=True)
    summary = models.JSONField(_("summary"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("OCR document")
        verbose_name_plural = _("OCR documents")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name or 'document'} #{self.pk} ({self.processing_stage})"
