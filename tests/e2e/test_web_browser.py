"""The web workbench in a real browser: system Chromium driven by Playwright, `hub serve` as a
process on SQLite. An institution signs in by pasting its token, opens its case, accepts it
and sees the status change; the citizen's status page then shows the new status.

Chromium is the system one (`/usr/bin/chromium`, Debian package `chromium`). Without it the
test skips, except under CI=true where it fails: CI installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI
from tests.e2e.test_serve_e2e import (
    issue_tokens,
    run_hub,
    serving,
)
from tests.support.api import APPLICANT_NAME, SMALL_REGISTRY, application_body

CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/onematter-web-case-accepted.png")


def _need_browser() -> None:
    problem = None
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problem = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed (pip install -e '.[test]')"
    if problem is None:
        return
    if IN_CI:
        pytest.fail(problem + "; CI must install it")
    pytest.skip(problem)


@dataclass
class Served:
    base: str
    tokens: dict[str, str]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "HUB_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HUB_AMQP_URL", None)
    run_hub(env, "db", "upgrade")
    run_hub(env, "registry", "load", str(SMALL_REGISTRY))
    tokens = issue_tokens(env, [("portal", "portal"), ("institution", "pm-a")])
    with serving(env, tmp_path / "serve.log") as base:
        yield Served(base, tokens)


def test_institution_accepts_a_case_in_the_browser(served: Served) -> None:
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    r = httpx.post(
        f"{served.base}/v1/applications",
        json=application_body(preferred_institution="pm-a"),
        headers={"Authorization": f"Bearer {served.tokens['portal']}"},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    no, code = r.json()["application_no"], r.json()["query_code"]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(10_000)
            page.goto(f"{served.base}/web/")
            expect(page.get_by_role("heading", level=1)).to_have_text('解纷"一件事"枢纽')
            page.keyboard.press("Tab")  # the first stop is the skip link
            expect(page.locator(".skip")).to_be_focused()

            page.get_by_role("link", name="登录", exact=True).first.click()
            page.get_by_text("或：机构接口令牌登录").click()  # the token sign-in, folded
            token_box = page.get_by_label("机构接口令牌")
            token_box.fill(served.tokens["pm-a"])
            token_box.press("Enter")  # keyboard submit
            page.wait_for_url("**/web/cases")
            cookies = page.context.cookies()
            session = next(c for c in cookies if c["name"] == "om_web")
            assert session["httpOnly"] and session["sameSite"] == "Strict"
            assert served.tokens["pm-a"] not in session["value"]

            page.get_by_role("link", name=no).click()
            page.wait_for_url(f"**/web/cases/{no}")
            expect(page.locator("dd.status")).to_have_text("已分派至解纷机构")
            expect(page.get_by_role("cell", name=APPLICANT_NAME)).to_be_visible()

            page.get_by_role("button", name="受理", exact=True).click()
            page.wait_for_url(f"**/web/cases/{no}?done=accepted")
            expect(page.locator("dd.status")).to_have_text("已受理")
            expect(page.get_by_role("status")).to_contain_text("已办理：受理")
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            # the citizen's view, in English
            page.goto(f"{served.base}/web/status?lang=en")
            page.get_by_label("Application number").fill(no)
            page.get_by_label("Query code").fill(code)
            page.get_by_role("button", name="Look up").click()
            expect(page.locator("dd.status")).to_have_text("Accepted")
            assert APPLICANT_NAME not in page.content()
        finally:
            browser.close()

    record = httpx.get(f"{served.base}/v1/status/{no}", params={"code": code}, timeout=10).json()
    assert record["status"] == "accepted"
    assert SCREENSHOT.stat().st_size > 10_000
