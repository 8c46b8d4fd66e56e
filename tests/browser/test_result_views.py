"""Each domain's result view on the job page (and its dashboard card), from its Example job, in real Chromium.

The views are the apps' own modules (apps/<app>/static/<app>/jobcast/result-views.js). With
JOBCAST_SCREENSHOTS=1 the tests also save each view at desktop and phone width in docs/screenshots/.
"""
from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from livestack.stack import LiveStack
from tests.browser.conftest import run_example, screenshots
from tests.vision.factories import textured, with_exif


def open_job(page: Page, job_id: str) -> None:
    page.goto(f"/jobs/{job_id}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator(".job-card .badge")).to_have_text("success")


def natural_width(page: Page, selector: str) -> int:
    page.wait_for_function("(s) => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
                           arg=selector)
    return page.eval_on_selector(selector, "i => i.naturalWidth")


# --- ocr -------------------------------------------------------------------------------------

def test_ocr_view_shows_the_value_table_with_its_break_even_row(page: Page, web: LiveStack):
    job = run_example(page, web, "ocr.extract")
    summary = job["result"]["summary"]
    with web.client() as c:
        rows = c.get(job["result"]["links"]["document"]).json()["data"]["table_data"]["rows"]
    open_job(page, job["id"])
    table = page.locator("#job-result table.ocr-values")
    body_rows = table.locator("tbody tr")
    expect(body_rows).to_have_count(len(rows))
    for i in (0, len(rows) - 1):
        expect(body_rows.nth(i)).to_have_attribute("data-year", str(rows[i]["policy_year"]))
        expect(body_rows.nth(i).locator("td").nth(1)).to_have_text(f'{rows[i]["total_premiums_paid"]:,}')
    highlighted = table.locator("tbody tr.row-highlight")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute("data-year", str(summary["break_even_year"]))
    expect(highlighted).to_contain_text("Break-even")
    expect(table.locator("tbody tr.row-flagged")).to_have_count(0)
    expect(page.locator("#job-result .ocr-verification")).to_have_attribute("data-status", "verified")
    expect(page.locator('#job-result svg.chart path[data-series="total_surrender_value"]')).to_have_attribute("d", re_path())
    expect(page.locator("#job-result .ocr-basic [data-field=insured_name]")).to_have_text(job["result"]["basic_info"]["insured_name"])
    milestones = page.locator("#job-result table.ocr-milestones tbody tr")
    expect(milestones).to_have_count(len(summary["milestones"]))
    expect(milestones.nth(1).locator("td").last).to_have_text(f'+{summary["milestones"][1]["irr_percent"]}%')
    expect(page.locator("#job-result .key-points li")).to_have_count(len(summary["key_points"]))
    steps = page.locator("#job-live ol.stepper > li")
    expect(page.locator("#live-heading")).to_have_text("Extraction stages")
    expect(steps).to_have_count(7)
    expect(steps.nth(0)).to_contain_text("0%")
    expect(steps.nth(6)).to_contain_text("100%")
    expect(page.locator('#job-live .step[data-state="done"]')).to_have_count(7)
    screenshots(page, "ocr", "#job-result table.ocr-values")


def re_path():
    import re
    return re.compile(r"^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$")


HEADER = "Policy Year   Age   Total Premiums Paid   Guaranteed Cash Value   Reversionary Bonus   Total Surrender Value"


def test_ocr_view_marks_the_rows_the_cross_checks_flagged(page: Page, web: LiveStack):
    text = "\n".join([HEADER, "1    41    10,000        0      0        0",
                      "2    42    20,000    8,000    500    9,500",     # 8,000 + 500 is 8,500
                      "3    43    30,000   16,000  1,000   17,000"]) + "\n"
    job = web.wait_job(web.submit("ocr.extract", {"file_name": "flagged.txt", "ocr_content": text})["id"], timeout=120)
    assert job["status"] == "success", job
    open_job(page, job["id"])
    flagged = page.locator("#job-result table.ocr-values tbody tr.row-flagged")
    expect(flagged).to_have_count(1)
    expect(flagged).to_have_attribute("data-year", "2")
    expect(flagged.locator(".tag-warn")).to_contain_text("Flagged: ")
    expect(page.locator("#job-result .ocr-verification")).to_have_attribute("data-status", "partly_verified")


# --- vision ----------------------------------------------------------------------------------

def test_vision_view_shows_thumbnail_swatches_verdicts_and_exif(page: Page, web: LiveStack):
    job = run_example(page, web, "vision.analyze")
    result = job["result"]
    card = page.locator(f'article.job-card[data-job-id="{job["id"]}"]')
    expect(card.locator(".job-preview")).to_contain_text(f'Score {result["quality"]["score"]}/100')
    assert natural_width(page, f'article.job-card[data-job-id="{job["id"]}"] img.card-thumb') == result["thumbnail"]["width"]
    screenshots(page, "dashboard-cards", ".job-preview:not([hidden])")
    open_job(page, job["id"])
    assert natural_width(page, "#job-result img.vision-thumb") == result["thumbnail"]["width"]
    swatches = page.locator("#job-result .palette > li")
    expect(swatches).to_have_count(len(result["palette"]))
    first = result["palette"][0]
    expect(swatches.first).to_have_attribute("data-hex", first["hex"])
    expect(swatches.first.locator(".palette-share")).to_have_text(f'{round(first["share"] * 100, 1)}%')
    r, g, b = first["rgb"]
    expect(swatches.first.locator(".palette-chip")).to_have_css("background-color", f"rgb({r}, {g}, {b})")
    expect(page.locator("#job-result .score-value")).to_have_text(str(result["quality"]["score"]))
    expect(page.locator("#job-result .suggestions li")).to_have_count(len(result["suggestions"]))
    exposure = page.locator('#job-result table.verdicts tr[data-check="exposure"]')
    expect(exposure).to_contain_text(result["exposure"]["verdict"].replace("_", " "))
    expect(exposure).to_contain_text(f'{result["exposure"]["offset_stops"]:+} stops')
    expect(page.locator('#job-result svg.chart[data-bars]')).to_have_attribute("data-bars", str(len(result["histogram"]["bins"])))
    expect(page.locator('#job-result table.exif-table tr[data-field="camera"] td')).to_have_text(result["exif"]["camera"])
    expect(page.locator("#job-result .privacy-warning")).to_have_count(0)
    screenshots(page, "vision", "#job-result img.vision-thumb")


def test_vision_view_warns_when_the_photo_carries_gps(page: Page, web: LiveStack):
    data = base64.b64encode(with_exif(textured(320, 240), gps=True)).decode("ascii")
    job = web.wait_job(web.submit("vision.analyze", {"image_data": data})["id"], timeout=120)
    assert job["status"] == "success", job
    open_job(page, job["id"])
    warning = page.get_by_role("alert").filter(has_text="GPS")
    expect(warning).to_be_visible()
    expect(page.locator('#job-result table.exif-table tr[data-field="gps_present"] td')).to_have_text("present")
    screenshots(page, "vision-gps", "#job-result .privacy-warning")


# --- media -----------------------------------------------------------------------------------

def test_media_video_view_plays_video_and_audio_and_shows_the_gallery(page: Page, web: LiveStack):
    job = run_example(page, web, "media.video")
    files = job["result"]["files"]
    open_job(page, job["id"])
    video = page.locator("#job-result video")
    expect(video.locator("source")).to_have_attribute("src", next(f["url"] for f in files if f["content_type"] == "video/mp4"))
    # The browser read the file's header: the player has its duration (the file is served and decodable).
    page.wait_for_function("() => document.querySelector('#job-result video').readyState >= 1")
    duration = page.eval_on_selector("#job-result video", "v => v.duration")
    assert abs(duration - job["result"]["duration_s"]) < 1.0, duration
    page.wait_for_function("() => document.querySelector('#job-result audio').readyState >= 1")
    images = [f for f in files if f["content_type"].startswith("image/")]
    expect(page.locator("#job-result .gallery img")).to_have_count(len(images))
    assert natural_width(page, "#job-result .gallery li:first-child img") > 0
    screenshots(page, "media-video", "#job-result video")


def test_media_audio_and_script_views(page: Page, web: LiveStack):
    job = run_example(page, web, "media.audio")
    open_job(page, job["id"])
    sources = page.locator("#job-result audio source")
    expect(sources).to_have_count(len(job["result"]["files"]))
    page.wait_for_function("() => document.querySelector('#job-result audio').readyState >= 1")
    duration = page.eval_on_selector("#job-result audio", "a => a.duration")
    assert abs(duration - job["result"]["duration_s"]) < 1.0, duration
    screenshots(page, "media-audio", "#job-result audio")
    job = run_example(page, web, "media.script")
    open_job(page, job["id"])
    scenes = job["result"]["script"]["scenes"]
    expect(page.locator("#job-result .scenes > li")).to_have_count(len(scenes))
    expect(page.locator("#job-result .scenes > li h4").first).to_have_text(f'Scene 1: {scenes[0]["title"]}')
    expect(page.locator("#job-result .scenes > li .scene-narration").first).to_have_text(scenes[0]["narration"])
    screenshots(page, "media-script", "#job-result .scenes")


def test_media_export_view_offers_the_zip_as_a_download(page: Page, web: LiveStack):
    run_example(page, web, "media.script")  # the export's example packs your newest media jobs
    job = run_example(page, web, "media.export")
    open_job(page, job["id"])
    link = page.locator("#job-result .downloads-zip a[download]")
    expect(link).to_have_count(1)
    zip_file = next(f for f in job["result"]["files"] if f["name"].endswith(".zip"))
    expect(link).to_have_attribute("href", zip_file["url"])
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == zip_file["name"]
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    screenshots(page, "media-export", "#job-result .downloads-zip")


# --- testing.web: steps fill in live ------------------------------------------------------------

class SlowTarget(BaseHTTPRequestHandler):
    """/ok answers at once; /slow waits until the test releases it, so a step is seen mid-run."""

    release = threading.Event()

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":
            self.release.wait(timeout=120)
        body = b"OK"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_target() -> Iterator[str]:
    SlowTarget.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowTarget)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    SlowTarget.release.set()
    server.shutdown()
    server.server_close()


def api(web: LiveStack, path: str, body: dict, status: int) -> dict:
    with web.client("alice") as c:
        r = c.post(path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_web_test_steps_fill_in_live(page: Page, web: LiveStack, slow_target: str):
    script = api(web, "/api/v1/web-test/scripts/", {"name": "live steps", "base_url": slow_target, "steps": [
        {"name": "home", "method": "GET", "path": "/ok", "expect": {"status": 200}},
        {"name": "slow", "method": "GET", "path": "/slow", "expect": {"status": 200, "body_contains": "nope"}}]}, 201)
    run = api(web, f"/api/v1/web-test/scripts/{script['id']}/run", {}, 202)
    page.goto(f"/jobs/{run['job_id']}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    live_rows = page.locator("#job-live .web-steps tbody tr")
    expect(live_rows).to_have_count(1)  # step 1 done, step 2 held by the target
    expect(page.locator("#live-heading")).to_have_text("Steps")
    expect(page.locator("#job-live .web-steps caption")).to_have_text("1 of 2 steps run")
    expect(live_rows.nth(0).locator("th")).to_have_text("home")
    expect(live_rows.nth(0).locator(".verdict")).to_have_text("pass")
    expect(live_rows.nth(0).locator("td.num").first).to_have_text("200")
    expect(page.locator(".job-card .badge")).to_have_text("started")
    screenshots(page, "web-test-live", "#job-live .web-steps tbody tr")
    SlowTarget.release.set()
    expect(page.locator(".job-card .badge")).to_have_text("success")
    rows = page.locator("#job-result .web-steps tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator(".verdict")).to_have_text("fail")
    expect(rows.nth(1).locator(".step-error")).to_contain_text("nope")
    expect(page.locator("#live-panel")).to_be_hidden()
