"""The client runs under the server's Content-Security-Policy: the watch that every test carries
(tests/e2e/conftest.py, `person`) does see a violation, and the pages are served with the policy."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Person


def test_the_csp_watch_reports_a_violation_and_the_pages_carry_the_policy(
    person: Callable[..., Person], new_board: Callable[..., dict[str, Any]]
) -> None:
    someone = person()
    board = new_board()
    for path in ("/", f"/j/{board['joinCode']}", f"/b/{board['id']}"):
        response = someone.page.goto(path)
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert response.headers.get("x-frame-options") == "DENY"
    someone.page.goto("/")
    expect(someone.page.locator("#board-title")).to_be_visible()
    assert someone.errors == []
    # What a strict policy blocks and a careless client might do: an inline style attribute and
    # an inline script. The watch reports both; the page keeps running.
    someone.page.evaluate(
        """() => {
          document.body.insertAdjacentHTML('beforeend', '<div style="color: red">x</div>')
          const script = document.createElement('script')
          script.textContent = 'window.ran = true'
          document.body.append(script)
        }"""
    )
    deadline = time.monotonic() + 5
    while len(someone.errors) < 2 and time.monotonic() < deadline:
        someone.page.wait_for_timeout(50)
    reported = list(someone.errors)
    assert any("style-src" in error for error in reported), reported
    assert any("script-src" in error for error in reported), reported
    assert someone.page.evaluate("() => window.ran === undefined")
    someone.errors.clear()  # provoked on purpose: not a failure of the client
