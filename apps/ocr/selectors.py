"""Reads: which OCR documents a user may see."""
from __future__ import annotations

from django.db.models import QuerySet

from apps.jobs.pk_lookup import PkLookup
from apps.ocr.models import OcrDocument

_document_by_pk = PkLookup(OcrDocument, owner_field="owner")


def documents_visible_to(user) -> QuerySet[OcrDocument]:
    """A user sees their own documents; staff see all (as with jobs)."""
    if user is None or not user.is_authenticated:
        return OcrDocument.objects.none()
    qs = OcrDocument.objects.all()
    return qs if user.is_staff else qs.filter(owner=user)


def document_for_user(user, document_id) -> OcrDocument | None:
    """The document if it exists and the user may see it; None otherwise (existence is not revealed)."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        return None
    if user is None or not user.is_authenticated:
        return None
    return _document_by_pk.get(pk, owner_id=None if user.is_staff else user.pk)
