"""Browser tests drive the Debian Chromium (/usr/bin/chromium) through Playwright; no browser download."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; Django's ORM calls from tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # A live server needs real transactions (the database is emptied after each test).
            item.add_marker(pytest.mark.django_db(transaction=True))


class _Requests:
    """Requests the live server is serving, counted by Django's request signals."""

    def __init__(self):
        self.lock = threading.Lock()
        self.serving = 0
        self.last = time.monotonic()

    def started(self, **kwargs):
        with self.lock:
            self.serving += 1
            self.last = time.monotonic()

    def finished(self, **kwargs):
        with self.lock:
            self.serving -= 1
            self.last = time.monotonic()

    def wait_quiet(self, quiet=0.25, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.serving <= 0 and time.monotonic() - self.last >= quiet:
                    return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _live_server_settles(transactional_db):
    """After a test, the database is emptied only once the live server has answered every request.

    A page closed at the end of a test may still send one (the reader keeps its place on `pagehide`); served
    while the tables are flushed, it fails and holds a lock that makes the flush fail for the next test.
    """
    from django.core.signals import request_finished, request_started

    requests = _Requests()
    request_started.connect(requests.started, weak=False)
    request_finished.connect(requests.finished, weak=False)
    yield
    requests.wait_quiet()
    request_started.disconnect(requests.started)
    request_finished.disconnect(requests.finished)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo province, as `make run` loads it (seed_demo also makes Wagtail's root rows if they are gone)."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def page_at(browser, live_server):
    """open(path, width=360) → a Playwright page of the live server, with CSP violations collected."""
    contexts = []

    def open_page(path="/", *, width=360, height=780, bypass_csp=False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-US", bypass_csp=bypass_csp
        )
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
        )
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page (open it with bypass_csp=True to inject axe)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
