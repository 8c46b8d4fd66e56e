"""Browser fixtures: a live stack serving collected static files, and headless Debian Chromium.

Every test here is marked `browser` and `integration` (tests/conftest.py). The stack
is this folder's own (DJANGO_DEBUG=false, so static files come from collectstatic through
whitenoise, as in production) and shared by the module; each test gets a fresh browser
context logged in as alice, and fails if the page logged a console error.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from livestack.stack import LiveStack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)  # 2 shared cores: generous waits, never fixed sleeps


@pytest.fixture(scope="session")
def web() -> Iterator[LiveStack]:
    live = LiveStack(workers=1, daphnes=1, env={"DJANGO_DEBUG": "false", "JOBS_PROGRESS_MIN_INTERVAL_MS": "50"})
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def alice_state(web: LiveStack, browser: Browser) -> dict:
    """Alice's session cookies, from one real login through the login form."""
    context = browser.new_context(base_url=web.base)
    log_in(context.new_page(), web, "alice")
    state = context.storage_state()
    context.close()
    return state


def log_in(page: Page, web: LiveStack, user: str, next_url: str = "/") -> None:
    """Through the login form, as a person does (the test users' password is `<name>-password`).

    `next_url`: where the form sends the user; a page other than the dashboard keeps a staff
    user's dashboard (every user's jobs, files other tests removed) out of the console log."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", user)
    page.fill("#id_password", f"{user}-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{web.base}{next_url}")


def open_kind_form(page: Page, kind: str):
    """The dashboard with `kind` picked; its generated form."""
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.select_option("#kind-select", kind)
    return page.locator(f'form[data-kind="{kind}"]')


def run_example(page: Page, web: LiveStack, kind: str) -> dict:
    """Submit the kind's Example from the dashboard form, as a user would; the finished job."""
    form = open_kind_form(page, kind)
    form.get_by_role("button", name="Example").click()
    expect(form.locator(".example-note")).not_to_be_empty()
    with page.expect_response(lambda r: r.url.endswith("/api/jobs/") and r.request.method == "POST") as created:
        form.get_by_role("button", name="Submit job").click()
    assert created.value.status == 201, created.value.text()
    job = web.wait_job(created.value.json()["id"], timeout=240)
    assert job["status"] == "success", job
    return job


class ConsoleLog:
    """Console errors and uncaught exceptions of one page; `allow` exempts expected network noise."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def record(self, text: str) -> None:
        self.errors.append(text)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def context(browser: Browser, web: LiveStack, alice_state: dict) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=web.base, storage_state=alice_state)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, console: ConsoleLog) -> Iterator[Page]:
    pg = context.new_page()
    pg.on("console", lambda msg: console.record(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: console.record(f"pageerror: {exc}"))
    yield pg
    assert console.unexpected() == [], f"the page logged errors: {console.unexpected()}"


# --- screenshots for docs/frontend.md ----------------------------------------------------------

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LOADED_JS = """() => [...document.images].every((i) => i.complete && i.naturalWidth > 0)
  && [...document.querySelectorAll("audio, video")].every((m) => m.readyState >= 1)"""
BOTTOM_JS = """() => Math.max(0, ...["#live-panel", "#result-panel"].map((s) => document.querySelector(s))
  .filter((el) => el && !el.hidden).map((el) => el.getBoundingClientRect().bottom + window.scrollY))"""


def screenshots(page: Page, name: str, ready: str = "#job-result .result-custom > *") -> None:
    """Save the page at both widths (only with JOBCAST_SCREENSHOTS=1); the view is redrawn at each width."""
    if os.environ.get("JOBCAST_SCREENSHOTS") != "1":
        return
    url = page.url
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        expect(page.locator(ready).first).to_be_visible()
        page.evaluate("document.fonts.ready")
        page.wait_for_function(LOADED_JS)
        # A job (or OCR document) page down to the end of its live and result panels; other pages whole.
        bottom = page.evaluate(BOTTOM_JS)
        clip = {"x": 0, "y": 0, "width": width, "height": bottom + 16} if bottom else None
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True, clip=clip)
    page.set_viewport_size({"width": 1280, "height": 900})
