from django.contrib import admin

from apps.ocr.models import OcrDocument


@admin.register(OcrDocument)
class OcrDocumentAdmin(admin.ModelAdmin):
    """Read-mostly view for support: where a document is, and why it failed."""

    list_display = ("id", "file_name", "owner", "processing_stage", "progress_percentage", "status", "created_at")
    list_filter = ("status", "processing_stage", "source")
    search_fields = ("file_name", "owner__username")
    readonly_fields = ("job", "basic_info", "table_data", "summary", "last_processed_at", "created_at", "updated_at")
    raw_id_fields = ("owner",)
