"""Reading a PDF's text layer instead of pasted OCR text."""
import pytest

from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.pdf import NotAPdf, pdf_text
from tests.ocr.pdf_factory import make_pdf


def test_the_text_layer_is_read_and_extracts_like_pasted_text(en):
    lines = [line for line in en.splitlines() if line.strip()][:12]
    text = pdf_text(make_pdf(lines), max_pages=10)
    assert "Name of Life Insured: John Smith" in text
    info = extract_basic_info(text)
    assert (info["insured_name"], info["annual_premium"], info["payment_term_years"]) == ("John Smith", 25000, 10)


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not a PDF"),
    (b"%PDF-1.4\n garbage", "cannot be read"),
    (make_pdf([]), "no text layer"),
])
def test_what_is_not_a_readable_pdf_is_refused_by_reason(data, message):
    with pytest.raises(NotAPdf, match=message):
        pdf_text(data, max_pages=10)
