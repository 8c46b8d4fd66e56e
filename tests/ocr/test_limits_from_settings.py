"""App limits are Django settings read when a request comes in, so override_settings changes them."""
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from apps.ocr.models import OcrDocument

pytestmark = pytest.mark.django_db


def _save(user, text: str):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/ocr/save/", {"file_name": "x", "ocr_content": text}, format="json")


def test_a_lowered_ocr_max_text_chars_refuses_what_the_default_accepts(alice):
    text = "Policy year 1 premium 1000 " * 4
    assert _save(alice, text).status_code == 200
    with override_settings(OCR_MAX_TEXT_CHARS=len(text) - 1):
        response = _save(alice, text)
    assert response.status_code == 400
    assert f"the limit is {len(text) - 1}" in str(response.json()["errors"]["ocr_content"])
    assert OcrDocument.objects.count() == 1
