"""The Django admin in both languages: model, field and app names, status labels, actions and their messages."""
from __future__ import annotations

import pytest

from apps.jobs.models import Job
from apps.jobs.services import job_create

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", password="boss-password"))
    return client


@pytest.fixture
def job(alice) -> Job:
    return job_create(owner=alice, kind="jobs.ticker", params={"steps": 1, "interval_ms": 0, "fail_at": None})


def test_the_job_list_in_chinese_names_the_model_its_fields_statuses_and_actions(admin_client, job):
    page = admin_client.get("/admin/jobs/job/", **ZH).content.decode()
    assert "选择 任务 来修改" in page  # Django's own "Select %s to change" with our verbose_name
    assert "取消所选任务" in page and "重试所选任务" in page  # the actions
    assert ">类型<" in page and ">状态<" in page and ">进度<" in page  # column headers (kind, status, progress)
    assert "等待中" in page  # the pending job's status label; the stored value stays the code
    assert "Cancel selected jobs" not in page and "Select job to change" not in page
    assert Job.objects.get(pk=job.pk).status == "pending"


def test_the_job_list_in_english_reads_the_source(admin_client, job):
    page = admin_client.get("/admin/jobs/job/").content.decode()
    assert "Select job to change" in page and "Cancel selected jobs" in page and "pending" in page
    assert "取消所选任务" not in page


def test_the_admin_index_shows_the_apps_names_in_chinese(admin_client):
    page = admin_client.get("/admin/", **ZH).content.decode()
    assert "投保书 OCR" in page and "OCR 文档" in page and "Site administration" not in page


def test_an_action_reports_what_it_did_in_the_admins_language(admin_client, job):
    response = admin_client.post("/admin/jobs/job/", {"action": "cancel_jobs", "_selected_action": [str(job.pk)]},
                                 follow=True, **ZH)
    assert "已取消 1 个任务。" in response.content.decode()
    assert Job.objects.get(pk=job.pk).status == "revoked"


def test_an_ocr_documents_stage_and_status_read_as_titles_in_chinese(admin_client, alice):
    from apps.ocr.models import OcrDocument

    doc = OcrDocument.objects.create(owner=alice, file_name="p.txt", ocr_content="x",
                                     processing_stage="all_completed", status="completed")
    page = admin_client.get(f"/admin/ocr/ocrdocument/{doc.pk}/change/", **ZH).content.decode()
    assert "全部完成" in page and "已完成" in page
    stored = OcrDocument.objects.get(pk=doc.pk)
    assert (stored.processing_stage, stored.status) == ("all_completed", "completed")  # the codes stay the data
