from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "apps.jobs"
    label = "jobs"
    verbose_name = _("Jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the built-in kinds (domain apps register theirs from their own ready()) and one
        per TASKS alias on JobcastBackend; workers announce the queues they consume (`workers.py`)."""
        from celery import signals

        from apps.jobs import kinds, workers  # noqa: F401
        from apps.jobs.django_task_kind import register_task_kinds

        register_task_kinds()
        signals.worker_ready.connect(workers.on_worker_ready, weak=False, dispatch_uid="jobs.worker_ready")
        signals.worker_shutdown.connect(workers.on_worker_shutdown, weak=False, dispatch_uid="jobs.worker_shutdown")
