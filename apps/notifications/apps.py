from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Completion e-mail: a job created with `notify` (a core field) e-mails its owner when it finishes."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Enqueue the completion e-mail from the core's `job_finished` signal."""
        from apps.jobs.signals import job_finished
        from apps.notifications.receivers import on_job_finished

        job_finished.connect(on_job_finished, dispatch_uid="notifications.completion_email")
