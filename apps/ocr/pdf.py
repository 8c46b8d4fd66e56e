"""Reading the text layer of an uploaded PDF (instead of pasted OCR text)."""
from __future__ import annotations

import io

from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.errors import PdfReadError


class NotAPdf(ValueError):
    """The upload is not a PDF we can read, or it has no text layer."""


def pdf_text(data: bytes, *, max_pages: int) -> str:
    """The text of the first `max_pages` pages, pages separated by blank lines."""
    if b"%PDF-" not in data[:1024]:
        raise NotAPdf(gettext("the upload is not a PDF (no %PDF- header)"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise NotAPdf(gettext("the PDF is encrypted"))
        pages = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, NotAPdf):
            raise
        raise NotAPdf(gettext("the PDF cannot be read: %(error)s") % {"error": exc}) from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise NotAPdf(gettext("the PDF has no text layer (a scan): OCR it and send the text as ocr_content"))
    return text
