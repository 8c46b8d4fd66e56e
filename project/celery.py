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

    def as_task_v2(self, task_id, name, args=None, kwargs=None, *more, argsrepr=None, kwargsrepr=None, **options):
        """Celery's message, with the `argsrepr`/`kwargsrepr` headers of a job's attempt written by
        `repr`: its `saferepr` was 3% of a POST /api/jobs/ (docs/benchmarks.md, "Second round").
        Only where the two are the same text; other arguments still go through `saferepr`."""
        if argsrepr is None:
            argsrepr = _plain_repr(args or ())
        if kwargsrepr is None and not kwargs:
            kwargsrepr = "{}"
        return super().as_task_v2(task_id, name, args, kwargs, *more, argsrepr=argsrepr, kwargsrepr=kwargsrepr,
                                  **options)


def _plain_repr(values) -> str | None:
    """`repr(values)` for a short list or tuple of small ints and ASCII ids (a job's UUID and step),
    where it equals Celery's `saferepr`; None (saferepr's turn) for anything else."""
    if type(values) not in (list, tuple) or len(values) > 8:
        return None
    for value in values:
        if type(value) is int and abs(value) < 10**15:
            continue
        if type(value) is str and 0 < len(value) <= 64 and value.isascii() and value.replace("-", "").isalnum():
            continue
        return None
    return repr(values)


app = Celery("project", amqp=RegisteredQueuesAMQP)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
