"""The OCR documents pages (/ocr/, /ocr/<id>/) in real Chromium on the real stack: create a document
by pasting the sample or uploading a PDF, see it listed, watch it processed, retry a failed one,
the API's refusals in the user's language, and the pages in Chinese.

With JOBCAST_SCREENSHOTS=1 the tests also save the pages at desktop and phone width, in English
and Chinese, in docs/screenshots/.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.ocr.examples import extract_example
from livestack.stack import LiveStack
from tests.browser.conftest import TIMEOUT_MS, ConsoleLog, log_in, screenshots
from tests.ocr.conftest import proposal_text
from tests.ocr.pdf_factory import make_pdf

DOCUMENT_URL = re.compile(r"/ocr/(\d+)/$")


def open_list(page: Page) -> None:
    page.goto("/ocr/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def document_id_from(page: Page) -> int:
    page.wait_for_url(DOCUMENT_URL)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return int(DOCUMENT_URL.search(page.url)[1])


def api_document(web: LiveStack, document_id: int, user: str = "alice") -> dict:
    with web.client(user) as c:
        answer = c.get(f"/api/ocr/documents/{document_id}/")
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def document_count(web: LiveStack, user: str = "alice") -> int:
    with web.client(user) as c:
        return c.get("/api/ocr/documents/").json()["count"]


def expect_value_table(page: Page, document: dict) -> None:
    """One row per policy year of the stored table, the break-even year's row highlighted."""
    rows = document["table_data"]["rows"]
    table = page.locator("#doc-result table.ocr-values")
    expect(table.locator("tbody tr")).to_have_count(len(rows))
    expect(table.locator("tbody tr").first).to_have_attribute("data-year", str(rows[0]["policy_year"]))
    expect(table.locator("tbody tr").last).to_have_attribute("data-year", str(rows[-1]["policy_year"]))
    highlighted = table.locator("tbody tr.row-highlight")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute("data-year", str(document["summary"]["break_even_year"]))


def test_paste_the_sample_see_it_listed_and_open_it_processed(page: Page, web: LiveStack):
    open_list(page)
    expect(page.locator("header a.nav-link[aria-current=page]")).to_have_text("OCR documents")
    page.get_by_role("button", name="Use the sample").click()
    sample = extract_example()["params"]
    expect(page.get_by_label("OCR text")).to_have_value(sample["ocr_content"])
    expect(page.get_by_label("Name")).to_have_value(sample["file_name"])
    page.get_by_role("button", name="Extract", exact=True).click()
    document_id = document_id_from(page)
    expect(page.locator("#doc-title")).to_have_text(sample["file_name"])
    expect(page.locator("#doc-badge .badge")).to_have_text("Completed")
    expect(page.locator("#doc-stage")).to_have_text("All extracted")
    expect(page.locator('#doc-live .step[data-state="done"]')).to_have_count(7)
    expect(page.locator("#conn")).to_be_hidden()  # the job ended: no stream to report on
    document = api_document(web, document_id)
    assert document["status"] == "completed", document
    expect_value_table(page, document)
    expect(page.locator("#doc-result .ocr-basic [data-field=insured_name]")).to_have_text(document["basic_info"]["insured_name"])
    expect(page.locator("#doc-meta")).to_contain_text("Pasted OCR text")
    screenshots(page, "ocr-document", "#doc-result table.ocr-values")

    open_list(page)
    listed = page.locator(f'#doc-list tr[data-document-id="{document_id}"]')
    expect(listed.get_by_role("link", name=sample["file_name"])).to_have_attribute("href", f"/ocr/{document_id}/")
    expect(listed.locator(".badge")).to_have_text("Completed")
    # The created time in the viewer's time zone and language, read back from its datetime attribute.
    shown = listed.locator("time")
    expected = page.evaluate("""(ts) => new Intl.DateTimeFormat("en", {dateStyle: "medium", timeStyle: "short"})
                                  .format(new Date(ts))""", document["created_at"])
    expect(shown).to_have_text(expected)
    screenshots(page, "ocr-documents", "#doc-list table")
    listed.get_by_role("link").click()
    assert document_id_from(page) == document_id


def test_upload_a_pdf(page: Page, web: LiveStack, tmp_path: Path):
    lines = [line for line in proposal_text("en").splitlines() if line.strip()]
    pdf = tmp_path / "legacy-proposal.pdf"
    pdf.write_bytes(make_pdf(lines))
    open_list(page)
    page.get_by_label("PDF file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload and extract").click()
    document_id = document_id_from(page)
    expect(page.locator("#doc-title")).to_have_text("legacy-proposal.pdf")
    expect(page.locator("#doc-meta")).to_contain_text("PDF text layer")
    expect(page.locator("#doc-badge .badge")).to_have_text("Completed")
    document = api_document(web, document_id)
    assert document["source"] == "pdf" and "John Smith" in document["ocr_content"]
    expect_value_table(page, document)
    page.get_by_text("OCR text", exact=True).click()
    expect(page.locator("#doc-text")).to_contain_text("Name of Life Insured: John Smith")


def test_refusals_show_the_apis_message_and_create_nothing(page: Page, web: LiveStack, tmp_path: Path,
                                                           console: ConsoleLog):
    console.allow(r"status of 400 \(Bad Request\)")  # Chromium logs each refused request; the page shows why
    before = document_count(web)
    open_list(page)
    page.get_by_label("OCR text").fill("   \n  ")
    page.get_by_role("button", name="Extract", exact=True).click()
    alert = page.locator("#paste-form .form-error")
    expect(alert).to_have_text("OCR text: may not be empty: send the OCR text (or a PDF as file)")
    expect(page.get_by_label("OCR text")).to_have_attribute("aria-invalid", "true")
    not_pdf = tmp_path / "photo.pdf"
    not_pdf.write_bytes(b"GIF89a not a pdf")
    page.get_by_label("PDF file").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Upload and extract").click()
    expect(page.locator("#upload-form .form-error")).to_contain_text("PDF file: the upload is not a PDF")
    assert page.url.endswith("/ocr/")
    assert document_count(web) == before


@pytest.fixture
def root_page(browser: Browser, web: LiveStack, console: ConsoleLog) -> Iterator[Page]:
    """A page logged in as root (staff: may use the OCR diagnostics to fail a step on purpose)."""
    context: BrowserContext = browser.new_context(base_url=web.base)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    pg.on("console", lambda msg: console.record(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: console.record(f"pageerror: {exc}"))
    log_in(pg, web, "root", next_url="/ocr/")
    yield pg
    context.close()
    assert console.unexpected() == [], f"the page logged errors: {console.unexpected()}"


def test_a_failed_document_shows_why_and_retry_resumes_it_live(root_page: Page, web: LiveStack):
    page = root_page
    with web.client("root") as c:
        saved = c.post("/api/ocr/save/", json={"file_name": "flaky.txt", "ocr_content": proposal_text("en"),
                                                "fail_stage": "extract_table", "stage_pause_ms": 400})
    assert saved.status_code == 200, saved.text
    document_id = saved.json()["document_id"]
    page.goto(f"/ocr/{document_id}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    # Watched live: the failure arrives over the stream, the page was open before it.
    error = page.get_by_role("alert").filter(has_text="extract_table")
    expect(error).to_be_visible(timeout=120_000)
    expect(page.locator("#doc-badge .badge")).to_have_text("Failed")
    expect(page.locator('#doc-live .step[data-state="failed"]')).to_have_count(1)
    screenshots(page, "ocr-document-failed", "#doc-error")
    page.get_by_role("button", name="Retry the extraction").click()
    expect(error).to_be_hidden()
    expect(page.locator("#doc-badge .badge")).to_have_text("Completed", timeout=120_000)
    expect(page.locator('#doc-live .step[data-state="done"]')).to_have_count(7)
    expect_value_table(page, api_document(web, document_id, "root"))


@pytest.fixture
def chinese_page(browser: Browser, web: LiveStack, alice_state: dict, console: ConsoleLog) -> Iterator[Page]:
    context = browser.new_context(base_url=web.base, storage_state=alice_state, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    pg.on("console", lambda msg: console.record(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: console.record(f"pageerror: {exc}"))
    yield pg
    context.close()
    assert console.unexpected() == [], f"the page logged errors: {console.unexpected()}"


def test_the_pages_in_chinese(chinese_page: Page, web: LiveStack, console: ConsoleLog):
    console.allow(r"status of 400 \(Bad Request\)")  # the refused empty text below
    page = chinese_page
    open_list(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="我的 OCR 文档")).to_be_visible()
    expect(page.locator("header a.nav-link[href=\"/ocr/\"]")).to_have_text("OCR 文档")
    page.get_by_label("OCR 文本").fill(" ")
    page.get_by_role("button", name="提取", exact=True).click()
    expect(page.locator("#paste-form .form-error")).to_have_text("OCR 文本：不能为空：请发送 OCR 文本（或以 file 上传 PDF）")
    expect(page.get_by_label("名称", exact=True)).to_be_visible()
    page.get_by_role("button", name="使用示例").click()
    page.get_by_role("button", name="提取", exact=True).click()
    document_id = document_id_from(page)
    expect(page.locator("#doc-badge .badge")).to_have_text("已完成")
    expect(page.locator("#doc-stage")).to_have_text("全部提取完成")
    expect(page.locator("#live-heading")).to_have_text("提取阶段")
    expect(page.locator("#doc-meta")).to_contain_text("粘贴的 OCR 文本")
    expect(page.locator("#doc-result table.ocr-values thead")).to_contain_text("保单年度")
    expect_value_table(page, api_document(web, document_id))
    expect(page.locator("#doc-result table.ocr-values tbody tr.row-highlight")).to_contain_text("回本")
    screenshots(page, "ocr-document-zh", "#doc-result table.ocr-values")
    open_list(page)
    listed = page.locator(f'#doc-list tr[data-document-id="{document_id}"]')
    expect(listed.locator(".badge")).to_have_text("已完成")
    expect(page.locator("#doc-list thead")).to_contain_text("状态")
    expect(page.locator("#doc-list thead")).not_to_contain_text("状态码")
    screenshots(page, "ocr-documents-zh", "#doc-list table")
