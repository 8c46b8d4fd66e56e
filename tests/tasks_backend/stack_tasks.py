"""Enqueue a sample task, or read a result, in a stack's database from a process of its own.

    python -m tests.tasks_backend.stack_tasks enqueue <task> '<args json>' '<kwargs json>' [owner] [options json]
    python -m tests.tasks_backend.stack_tasks result <id>

Run by the live tests with the stack's environment (project settings, its database): the
enqueuing code and the reading code each run in a process other than the worker's. Prints JSON.
"""
from __future__ import annotations

import json
import sys
from datetime import timedelta


def _result_json(result) -> dict:
    status = str(result.status)
    return {
        "id": result.id, "status": status, "attempts": result.attempts, "worker_ids": result.worker_ids,
        "args": result.args, "kwargs": result.kwargs,
        "return_value": result.return_value if status == "SUCCESSFUL" else None,
        "errors": [{"exception_class_path": e.exception_class_path, "traceback": e.traceback} for e in result.errors],
        **{name: getattr(result, name).isoformat() if getattr(result, name) else None
           for name in ("enqueued_at", "started_at", "last_attempted_at", "finished_at")},
        "task": {"module_path": f"{result.task.func.__module__}.{result.task.func.__qualname__}",
                 "priority": result.task.priority, "queue_name": result.task.queue_name},
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.jobs.tasks_backend import owned_by
    from apps.jobs.tasks_compat import default_task_backend
    from tests.tasks_backend import sample_tasks

    if argv[0] == "result":
        print(json.dumps(_result_json(default_task_backend.get_result(argv[1]))))
        return
    _, name, args, kwargs, *rest = argv
    owner = get_user_model().objects.get(username=rest[0]) if rest and rest[0] else None
    options = json.loads(rest[1]) if len(rest) > 1 else {}
    task = getattr(sample_tasks, name)
    if "run_after_s" in options:
        task = task.using(run_after=timezone.now() + timedelta(seconds=options.pop("run_after_s")))
    if options:
        task = task.using(**options)
    with owned_by(owner):
        result = task.enqueue(*json.loads(args), **json.loads(kwargs))
    print(json.dumps(_result_json(result)))


if __name__ == "__main__":
    main(sys.argv[1:])
