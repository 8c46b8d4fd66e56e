"""The document's processing vocabulary, as the replaced system's pages poll it."""
from __future__ import annotations

from django.utils.translation import pgettext_lazy

# processing_stage -> progress_percentage (the old API's exact numbers).
PENDING = "pending"
EXTRACTING_BASIC_INFO = "extracting_basic_info"
BASIC_INFO_COMPLETED = "basic_info_completed"
EXTRACTING_TABLE = "extracting_table"
TABLE_COMPLETED = "table_completed"
EXTRACTING_SUMMARY = "extracting_summary"
ALL_COMPLETED = "all_completed"
ERROR = "error"

PERCENT: dict[str, int] = {
    PENDING: 0,
    EXTRACTING_BASIC_INFO: 20,
    BASIC_INFO_COMPLETED: 33,
    EXTRACTING_TABLE: 50,
    TABLE_COMPLETED: 66,
    EXTRACTING_SUMMARY: 80,
    ALL_COMPLETED: 100,
}
ORDER = (PENDING, EXTRACTING_BASIC_INFO, BASIC_INFO_COMPLETED, EXTRACTING_TABLE, TABLE_COMPLETED,
         EXTRACTING_SUMMARY, ALL_COMPLETED)
# The codes stay the data (the old API's words); the admin and pages show these titles (issue 17).
STAGE_CHOICES = [
    (PENDING, pgettext_lazy("stage", "pending")),
    (EXTRACTING_BASIC_INFO, pgettext_lazy("stage", "extracting_basic_info")),
    (BASIC_INFO_COMPLETED, pgettext_lazy("stage", "basic_info_completed")),
    (EXTRACTING_TABLE, pgettext_lazy("stage", "extracting_table")),
    (TABLE_COMPLETED, pgettext_lazy("stage", "table_completed")),
    (EXTRACTING_SUMMARY, pgettext_lazy("stage", "extracting_summary")),
    (ALL_COMPLETED, pgettext_lazy("stage", "all_completed")),
    (ERROR, pgettext_lazy("stage", "error")),
]

# The document's overall status.
STATUS_PENDING, STATUS_PROCESSING, STATUS_COMPLETED, STATUS_ERROR = "pending", "processing", "completed", "error"
STATUS_CHOICES = [
    (STATUS_PENDING, pgettext_lazy("ocr document", "pending")),
    (STATUS_PROCESSING, pgettext_lazy("ocr document", "processing")),
    (STATUS_COMPLETED, pgettext_lazy("ocr document", "completed")),
    (STATUS_ERROR, pgettext_lazy("ocr document", "error")),
]

# Pipeline step names (Celery tasks of the chain), in order, and the stage reached before each.
STEP_BASIC_INFO, STEP_TABLE, STEP_SUMMARY = "extract_basic_info", "extract_table", "extract_summary"
STEPS = (STEP_BASIC_INFO, STEP_TABLE, STEP_SUMMARY)
STAGE_BEFORE_STEP = {0: PENDING, 1: BASIC_INFO_COMPLETED, 2: TABLE_COMPLETED}
