"""Browser tests: the real server as a subprocess, the built web client, Debian's Chromium.

One server (SQLite) and one browser for the whole package; each test makes its own boards and
browser contexts (separate localStorage, as separate people). Screenshots go to
test-artifacts/e2e/. A failing test carries the server's log in its report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from tests.support.server_process import ROOT, SHARED_SERVER_ENV, ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here: Debian's Chromium is used, with the flags
# that keep it quiet and working as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUILT_CLIENT = ROOT / "web" / "static" / "dist" / "index.html"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"

_servers: list[ServerProcess] = []

# Every page reports what its Content-Security-Policy blocked (server/http/security_headers.py):
# the running client must trigger none. Run before the page's own scripts, outside its CSP.
CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`)
})
"""
CSP_MARKS = ("CSP violation", "Content Security Policy")

# The same patience as the contexts' default (10 s): the 5 s default of `expect` is short on a
# loaded 2-core machine, where a browser, the server and the tests share the cores.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    if not BUILT_CLIENT.exists():
        pytest.fail(
            f"the web client is not built ({BUILT_CLIENT} is missing): run `make setup`, "
            "or `npm ci && npm run build` in web/"
        )
    tmp = tmp_path_factory.mktemp("e2e")
    database = f"sqlite+aiosqlite:///{tmp / 'e2e.sqlite3'}"
    proc = ServerProcess(tmp, database, SHARED_SERVER_ENV).start()
    _servers.append(proc)
    yield proc
    proc.stop()
    _servers.remove(proc)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium` (.ci/run does it)"
        )
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Person:
    """One person at one browser: their own context (storage), page and console errors."""

    def __init__(self, context: BrowserContext, page: Page, base_url: str) -> None:
        self.context = context
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # A CSP violation fails the test like an uncaught error (checked by `person`).
        page.add_init_script(CSP_WATCH)
        page.on("console", self._on_console)
        page.on("dialog", self._on_dialog)

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and any(mark in message.text for mark in CSP_MARKS):
            self.errors.append(message.text)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def person(browser: Browser, e2e_server: ServerProcess) -> Iterator[Callable[..., Person]]:
    """A factory of people; `locale` and `viewport`/`is_mobile` as Playwright takes them."""
    made: list[Person] = []

    def make(**options: Any) -> Person:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(base_url=e2e_server.url, **options)
        context.set_default_timeout(10_000)
        someone = Person(context, context.new_page(), e2e_server.url)
        made.append(someone)
        return someone

    yield make
    for someone in made:
        someone.context.close()
    errors = [error for someone in made for error in someone.errors]
    assert not errors, f"uncaught errors or CSP violations in the page: {errors}"


@pytest.fixture
def new_board(e2e_server: ServerProcess) -> Callable[..., dict[str, Any]]:
    def create(title: str = "Atelier", template: str = "blank") -> dict[str, Any]:
        response = httpx.post(
            f"{e2e_server.url}/api/boards",
            json={"title": title, "template": template, "locale": "fr"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        board: dict[str, Any] = response.json()
        return board

    return create


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and _servers:
        report.sections.append(("server log", _servers[-1].log()))
    return report
