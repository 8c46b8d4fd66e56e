"""The OCR documents pages: login required, someone else's document is a 404, both languages render."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from apps.ocr.examples import extract_example
from apps.ocr.models import OcrDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """The manifest exists only after collectstatic; these pages render with plain static names."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def document(owner) -> OcrDocument:
    return OcrDocument.objects.create(owner=owner, file_name="p.txt", ocr_content="text")


def test_the_pages_send_a_signed_out_visitor_to_log_in(alice):
    doc = document(alice)
    for url in ("/ocr/", f"/ocr/{doc.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_another_users_document_page_is_a_404_and_its_owners_renders(alice, bob):
    doc = document(alice)
    assert signed_in(bob).get(f"/ocr/{doc.pk}/").status_code == 404
    assert signed_in(bob).get("/ocr/999999/").status_code == 404
    page = signed_in(alice).get(f"/ocr/{doc.pk}/")
    assert page.status_code == 200 and f'data-document-id="{doc.pk}"' in page.content.decode()


def test_the_list_page_in_english_bundles_the_sample_and_links_itself_from_the_header(alice):
    html = signed_in(alice).get("/ocr/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My OCR documents" in html and "Use the sample" in html and "Or upload a PDF" in html
    assert re.search(r'<a class="nav-link" href="/ocr/" aria-current="page">OCR documents</a>', html)
    sample = json.loads(re.search(r'<script id="ocr-sample" type="application/json">(.*?)</script>', html, re.S)[1])
    assert sample == extract_example()["params"] and sample["ocr_content"].strip()
    assert '"/static/ocr/jobcast/documents-api.js"' in html  # in the import map


def test_the_pages_in_chinese(alice):
    client = signed_in(alice)
    listing = client.get("/ocr/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in listing
    assert "我的 OCR 文档" in listing and "使用示例" in listing and "My OCR documents" not in listing
    assert ">名称</label>" in listing and "任务名" not in listing  # "Name" has a context of its own
    page = client.get(f"/ocr/{document(alice).pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "提取阶段" in page and "全部 OCR 文档" in page and "Extraction stages" not in page


def test_the_api_paths_did_not_move():
    from django.urls import reverse
    assert reverse("ocr-save") == "/api/ocr/save/"
    assert reverse("ocr-document", args=[3]) == "/api/ocr/documents/3/"
    assert reverse("ocr-documents-page") == "/ocr/" and reverse("ocr-document-page", args=[3]) == "/ocr/3/"
