from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "apps.jobs"
    label = "jobs"
    verbose_name = "Jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the built-in kinds; domain apps register theirs from their own ready()."""
        from apps.jobs import kinds  # noqa: F401
        from apps.jobs.django_task_kind import register_task_kinds

        register_task_kinds()  # one internal kind per TASKS alias on JobcastBackend
