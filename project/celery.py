"""The Celery app: configured from Django settings (CELERY_* names), tasks found per app."""
from __future__ import annotations

import os

from celery import Celery
from celery.app.amqp import AMQP
from kombu import Queue
from kombu.utils.objects import cached_property

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


class RegisteredQueuesAMQP(AMQP):
    """Declares one queue per name in settings.JOBS_QUEUES, which the registered kinds decide.

    Read when a process first sends or consumes (after Django is set up), so web, worker and beat
    declare the same queues and a worker started without -Q consumes every kind's queue.
    """

    @cached_property
    def queues(self):
        import django
        from django.apps import apps
        from django.conf import settings

        if self.app.conf.task_queues:
            return self.Queues(self.app.conf.task_queues)
        if not apps.ready and not apps.loading:
            django.setup()
        return self.Queues([Queue(name, routing_key=name) for name in settings.JOBS_QUEUES])


app = Celery("project", amqp=RegisteredQueuesAMQP)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
