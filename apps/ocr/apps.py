from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcrConfig(AppConfig):
    name = "apps.ocr"
    label = "ocr"
    verbose_name = _("OCR of insurance proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the `ocr.extract` kind and follow its jobs to the end."""
        from apps.jobs.signals import job_finished
        from apps.ocr import kinds  # noqa: F401  (registers ocr.extract)
        from apps.ocr.receivers import on_job_finished

        job_finished.connect(on_job_finished, dispatch_uid="ocr.on_job_finished")
