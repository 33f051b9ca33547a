"""The console in a real browser: system Chromium driven by Playwright, `hub serve` as a
process on PostgreSQL. A unit clerk and an admin sign in personally (one-time password, then
their own), and walk a working morning: the red-light board, a 催办, a registry change
requested and approved by the other person, a dead letter replayed, the statistics' charts.
Every console page is checked at 1280 px and 390 px for sideways overflow, labels, `lang`
and external assets, with screenshots in the test's own temporary folder. Lockout, a
disabled account, CSRF and a unit reaching for another unit's institution are tried too.

The case's deadlines are moved into the past and the dunning message is recorded dead
through the hub's own services on the served database (the clock of a served hub cannot be
wound): what the pages then show is the hub's.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from tests.conftest import create_pg_database, drop_pg_database
from tests.e2e.test_serve_e2e import HUB, issue_tokens, run_hub, serving
from tests.e2e.test_web_browser import ARGS, CHROMIUM, _need_browser
from tests.support.api import SMALL_REGISTRY, application_body, check_character

OWN = "晨光熹微-办案不拖-2026"
PAGES = (
    "/web/console/",
    "/web/console/overdue",
    "/web/console/undeliverable",
    "/web/console/deadletters",
    "/web/console/registry",
    "/web/console/complaints",
    "/web/console/workorders",
    "/web/console/stats",
    "/web/console/alerts",
    "/web/console/help",
    "/web/console/grants",
)
#: What a page must hold for everyone: no sideways scroll, a label on every field, the
#: language set, nothing fetched from elsewhere (answered by the browser itself).
AUDIT_JS = """() => {
  const fields = [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden');
  const unlabelled = fields.filter(e => !(e.labels && e.labels.length) &&
    !e.getAttribute('aria-label')).map(e => e.name || e.id);
  const external = [...document.querySelectorAll('[src], link[href]')]
    .map(e => e.getAttribute('src') || e.getAttribute('href'))
    .filter(u => /^(https?:)?\\/\\//.test(u));
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    unlabelled, external,
    lang: document.documentElement.lang,
    scripts: document.querySelectorAll('script').length,
  };
}"""

#: At a phone's width: sideways overflow, every number cell whose content is wider than
#: its box or runs off the screen, and the label the first number cell shows before it.
NARROW_JS = """(no) => {
  const cells = [...document.querySelectorAll('th.no, td.no')];
  const cut = cells.filter(e => e.scrollWidth > e.clientWidth ||
    e.getBoundingClientRect().right > window.innerWidth).map(e => e.textContent.trim());
  const mine = cells.find(e => e.textContent.includes(no));
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    cut, lang: document.documentElement.lang,
    label: mine ? getComputedStyle(mine, '::before').content : null,
  };
}"""


@dataclass
class Served:
    base: str
    env: dict[str, str]
    portal: str
    shots: Path


def _hub(env: dict[str, str], *args: str) -> str:
    return run_hub(env, *args).stdout.strip()


@pytest.fixture
def served(tmp_path: Path, pg_admin_url: str) -> Iterator[Served]:
    # PostgreSQL: the test process changes rows beside the serving one (see above).
    url = create_pg_database(pg_admin_url)
    env = {
        **os.environ,
        "HUB_DATABASE_URL": url,
        "HUB_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HUB_AMQP_URL", None)
    run_hub(env, "db", "upgrade")
    run_hub(env, "registry", "load", str(SMALL_REGISTRY))
    tokens = issue_tokens(env, [("portal", "portal")])
    shots = tmp_path / "screenshots"
    shots.mkdir()
    try:
        with serving(env, tmp_path / "serve.log") as base:
            yield Served(base, env, tokens["portal"], shots)
    finally:
        drop_pg_database(pg_admin_url, url)


def _ctx(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The hub's services on the served database (same keys, same files)."""
    from hub.bootstrap import bootstrap
    from hub.config import Settings

    for key in ("HUB_DATABASE_URL", "HUB_DATA_DIR"):
        monkeypatch.setenv(key, env[key])
    return bootstrap(Settings.from_env(), pool_size=2)


def _submit(served: Served, institution: str) -> str:
    r = httpx.post(
        f"{served.base}/v1/applications",
        json=application_body(preferred_institution=institution),
        headers={"Authorization": f"Bearer {served.portal}"},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["application_no"])


def _make_late(ctx: Any, no: str, days: int) -> None:
    from hub.store.models import Deadline

    with ctx.db.transaction() as s:
        for d in s.exec(select(Deadline).where(Deadline.application_no == no)).all():
            d.due_at = d.due_at - timedelta(days=days)
            d.counted_from = d.counted_from - timedelta(days=days)
            s.add(d)


def _kill_dunning(ctx: Any, no: str) -> None:
    from hub.services.delivery_failures import record_dead
    from hub.store.models import OutboxMessage

    with ctx.db.read() as s:
        letter = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.application_no == no, OutboxMessage.type == "deadline.dunning")
            .order_by(col(OutboxMessage.id).desc())
        ).first()
    assert letter is not None
    assert ctx.db.run(
        lambda s: record_dead(
            ctx, s, letter.message_id, "refused by the party: HTTP 410", attempts=3
        )
    )


def _first_sign_in(page: Any, base: str, login: str, otp: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/web/login")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码", exact=True).fill(otp)
    page.get_by_label("密码", exact=True).press("Enter")
    page.wait_for_load_state()
    assert "/web/password" in page.url, page.content()[-3000:]
    page.get_by_label("新密码", exact=True).fill(OWN)
    page.get_by_label("再次输入新密码").fill(OWN)
    page.get_by_role("button", name="保存密码").click()
    page.wait_for_url("**/web/console/")
    expect(page.get_by_role("heading", level=1)).to_have_text("今日概览")


def _audit_pages(page: Any, base: str, shots: Path, who: str, paths: tuple[str, ...]) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            answer = page.goto(f"{base}{path}")
            assert answer is not None and answer.status == 200, (path, answer and answer.status)
            csp = answer.headers.get("content-security-policy", "")
            assert "default-src 'none'" in csp, path
            found = page.evaluate(AUDIT_JS)
            assert found["overflow"] <= 0, (path, width, found["overflow"])
            assert found["unlabelled"] == [], (path, found["unlabelled"])
            assert found["external"] == [] and found["scripts"] == 0, path
            assert found["lang"] == "zh-CN", path
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(shots / f"{who}-{name}-{width}.png"), full_page=True)


def test_a_working_morning_in_the_browser(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    env = served.env
    clerk_otp = _hub(
        env,
        "user",
        "add",
        "--login",
        "li.wen",
        "--name",
        "李文",
        "--role",
        "unit",
        "--party",
        "xbw",
    )
    admin_otp = _hub(
        env, "user", "add", "--login", "wang.qiang", "--name", "王强", "--role", "admin"
    )
    late = _submit(served, "cm-x")
    theirs = _submit(served, "pm-a")
    ctx = _ctx(env, monkeypatch)
    try:
        _make_late(ctx, late, 5)
        _make_late(ctx, theirs, 5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                clerk = browser.new_context(
                    viewport={"width": 1280, "height": 900}, locale="zh-CN"
                ).new_page()
                clerk.set_default_timeout(10_000)
                _first_sign_in(clerk, served.base, "li.wen", clerk_otp)
                clerk.screenshot(path=str(served.shots / "clerk-today.png"), full_page=True)

                # the red-light board: our case, not the other unit's; press it
                clerk.get_by_role("link", name="超期督办（红灯）").first.click()
                clerk.wait_for_url("**/web/console/overdue")
                row = clerk.get_by_role("row").filter(has_text=late)
                expect(row).to_contain_text("消保委调解中心")
                expect(row).to_contain_text("个工作日")
                assert theirs not in clerk.content()
                row.get_by_label("催办说明（可选）").fill("请今天内联系申请人")
                row.get_by_role("button", name="催办").click()
                expect(clerk.get_by_role("status")).to_contain_text(f"已向承办机构发出催办：{late}")
                clerk.screenshot(path=str(served.shots / "clerk-dunned.png"), full_page=True)

                # a registry change, requested by the clerk
                clerk.goto(f"{served.base}/web/console/registry")
                clerk.get_by_label("解纷机构").select_option("cm-x")
                clerk.get_by_label("变更类型").select_option("suspend")
                clerk.get_by_label("理由").fill("调解员集中培训一周")
                clerk.get_by_role("button", name="提交").click()
                expect(clerk.get_by_role("status")).to_contain_text("变更申请已提交")

                # another unit's institution: nothing to see
                answer = clerk.goto(f"{served.base}/web/console/registry/institutions/pm-a")
                assert answer is not None and answer.status == 404
                answer = clerk.goto(f"{served.base}/web/console/deadletters")
                assert answer is not None and answer.status == 403

                # CSRF: a form whose token is not the session's changes nothing
                clerk.goto(f"{served.base}/web/console/registry")
                clerk.evaluate(
                    "() => document.querySelectorAll('input[name=csrf]')"
                    ".forEach(e => e.value = 'forged')"
                )
                clerk.get_by_label("解纷机构").select_option("cm-x")
                clerk.get_by_label("变更类型").select_option("hide")
                clerk.get_by_label("理由").fill("伪造的请求")
                clerk.get_by_role("button", name="提交").click()
                expect(clerk.get_by_role("alert")).to_contain_text("表单已失效")

                _audit_pages(
                    clerk,
                    served.base,
                    served.shots,
                    "clerk",
                    tuple(
                        p
                        for p in PAGES
                        if p not in ("/web/console/deadletters", "/web/console/grants")
                    ),
                )

                # English at 390 px: the board fits, the number is whole, labels say ": "
                clerk.set_viewport_size({"width": 390, "height": 900})
                clerk.goto(f"{served.base}/web/console/overdue?lang=en")
                fit = clerk.evaluate(NARROW_JS, late)
                assert fit["lang"] == "en", fit
                assert fit["overflow"] <= 0 and fit["cut"] == [], fit
                assert fit["label"] == '"Application number: "', fit
                clerk.screenshot(
                    path=str(served.shots / "clerk-overdue-en-390.png"), full_page=True
                )
                clerk.goto(f"{served.base}/web/console/overdue?lang=zh")
                assert clerk.evaluate(NARROW_JS, late)["label"] == '"办件编号："'

                # the dunning message bounced; the admin replays it
                _kill_dunning(ctx, late)
                admin = browser.new_context(
                    viewport={"width": 1280, "height": 900}, locale="zh-CN"
                ).new_page()
                admin.set_default_timeout(10_000)
                _first_sign_in(admin, served.base, "wang.qiang", admin_otp)
                admin.get_by_role("link", name="名录变更审核").first.click()
                pending = admin.get_by_role("row").filter(has_text="调解员集中培训一周")
                pending.get_by_label("审核意见（可选）").fill("同意")
                pending.get_by_role("button", name="批准").click()
                expect(admin.get_by_role("status")).to_contain_text("已批准该变更")
                assert "伪造的请求" not in admin.content()

                admin.get_by_role("link", name="投递失败（死信）").first.click()
                letter = admin.get_by_role("row").filter(has_text="refused by the party")
                expect(letter).to_contain_text("deadline.dunning")
                letter.get_by_role("button", name="重发").click()
                expect(admin.get_by_role("status")).to_contain_text("重新排队 1 条")

                admin.get_by_role("link", name="统计分析").first.click()
                charts = admin.locator("svg.chart")
                expect(charts).to_have_count(3)
                expect(charts.first).to_be_visible()
                admin.screenshot(path=str(served.shots / "admin-stats.png"), full_page=True)
                _audit_pages(admin, served.base, served.shots, "admin", PAGES)

                # disabled: the clerk's open session ends at once
                run_hub(env, "user", "disable", "li.wen")
                clerk.goto(f"{served.base}/web/console/overdue")
                assert "/web/login" in clerk.url
            finally:
                browser.close()
    finally:
        ctx.db.dispose()
    record = httpx.get(
        f"{served.base}/v1/applications/{late}",
        headers={"Authorization": f"Bearer {served.portal}"},
        timeout=10,
    ).json()
    assert "dunned" in [s["type"] for s in record.get("timeline", [])]
    shots = sorted(p.name for p in served.shots.iterdir())
    assert len(shots) >= 2 * (len(PAGES) + len(PAGES) - 2)
    assert all((served.shots / n).stat().st_size > 5_000 for n in shots)


def test_lockout_in_the_browser(served: Served) -> None:
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    otp = _hub(
        served.env,
        "user",
        "add",
        "--login",
        "zhao.lei",
        "--name",
        "赵磊",
        "--role",
        "unit",
        "--party",
        "sfj",
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page.set_default_timeout(10_000)
            for n in range(5):
                page.goto(f"{served.base}/web/login")
                page.get_by_label("登录名").fill("zhao.lei")
                page.get_by_label("密码", exact=True).fill(f"wrong-{n}-wrong")
                page.get_by_label("密码", exact=True).press("Enter")
                expect(page.get_by_role("alert")).to_contain_text("登录名或密码不正确")
                assert page.get_by_label("登录名").input_value() == "zhao.lei"
            expect(page.get_by_role("alert")).to_contain_text("已锁定 15 分钟")
            page.goto(f"{served.base}/web/login")
            page.get_by_label("登录名").fill("zhao.lei")
            page.get_by_label("密码", exact=True).fill(otp)  # right, and still refused
            page.get_by_label("密码", exact=True).press("Enter")
            expect(page.get_by_role("alert")).to_contain_text("已被锁定")
            assert "/web/password" not in page.url
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(served.shots / "locked-390.png"), full_page=True)
        finally:
            browser.close()
    assert (
        subprocess.run(
            [HUB, "user", "list"], env=served.env, capture_output=True, check=False
        ).returncode
        == 0
    )


def test_citizen_and_workbench_pages_fit_a_phone(served: Served) -> None:
    """The same checks on the pages outside the console: the citizens' and an institution's
    (signed in with its token), the case page with its forms, timeline and attachment."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    no = _submit(served, "pm-a")
    token = issue_tokens(served.env, [("institution", "pm-a")])["pm-a"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(10_000)
            _audit_pages(
                page,
                served.base,
                served.shots,
                "public",
                ("/web/", "/web/status", "/web/help", "/web/login"),
            )
            page.goto(f"{served.base}/web/status")
            example = page.locator("#no-hint").inner_text()
            digits = "".join(ch for ch in example if ch.isdigit() or ch == "X")[:21]
            # the example number is a valid one
            assert digits[20] == check_character(digits[:20]), example
            page.goto(f"{served.base}/web/login")
            page.get_by_text("或：机构接口令牌登录").click()
            page.get_by_label("机构接口令牌").fill(token)
            page.get_by_label("机构接口令牌").press("Enter")
            page.wait_for_url("**/web/cases")
            _audit_pages(
                page, served.base, served.shots, "institution", ("/web/cases", f"/web/cases/{no}")
            )
        finally:
            browser.close()
