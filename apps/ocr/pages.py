"""The OCR documents pages: thin shells (session checked, sample bundled); their modules call /api/ocr/."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from apps.ocr import selectors
from apps.ocr.examples import extract_example


@login_required
@ensure_csrf_cookie
def documents_page(request: HttpRequest) -> HttpResponse:
    """The user's documents (paged by the API) and the forms that create one from text or a PDF."""
    return render(request, "ocr/documents.html", {
        "page": "ocr", "sample": extract_example()["params"],
        "page_size": settings.REST_FRAMEWORK.get("PAGE_SIZE") or 20,
    })


@login_required
@ensure_csrf_cookie
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document, live while extracted; one the user may not see is a 404 (existence not revealed)."""
    if selectors.document_for_user(request.user, document_id) is None:
        raise Http404("no such document")
    return render(request, "ocr/document.html", {"page": "ocr", "document_id": document_id})
