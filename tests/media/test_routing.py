"""Routing: each media kind's messages are published to its own queue."""
import pytest
from celery.signals import before_task_publish

from apps.jobs.dispatch import dispatch
from apps.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind, queue", [("media.video", "media.video"), ("media.audio", "media.audio"),
                                         ("media.script", "media"), ("media.character_images", "media"),
                                         ("media.export", "files")])
def test_kind_is_published_on_its_queue(alice, kind, queue):
    seen = []

    def capture(sender=None, headers=None, routing_key=None, **kwargs):
        seen.append((headers.get("id"), routing_key))

    before_task_publish.connect(capture, weak=False)
    try:
        # A job row nobody will run here: a worker that happens to consume it finds no such job.
        job = Job.objects.create(owner=alice, kind=kind, params={}, queue=queue)
        task_id = dispatch(job.pk)
    finally:
        before_task_publish.disconnect(capture)
    assert (task_id, queue) in seen
