"""A row of filters (`form.inline`: the statistics' period picker, the case and ledger
filters) at 390 px: each label sits above its own field. Before, the row wrapped anywhere
and a label ended up beside the previous field ("截止日期" to the right of the 起始日期 box,
found by trying the console on a phone's width). At 1280 px the row stays one row."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_web_browser import ARGS, CHROMIUM, _need_browser

BASE = Path(__file__).parents[2] / "hub" / "web" / "templates" / "base.html"

#: The statistics page's filter row, as console/stats.html writes it.
FILTERS = """
<form method="get" action="/web/console/stats" class="inline">
  <label for="from">起始日期</label><input type="text" id="from" name="from" value="2026-11-03">
  <label for="to">截止日期</label><input type="text" id="to" name="to" value="2026-12-02">
  <label for="by">分组</label><select id="by" name="by"><option>按机构</option></select>
  <button type="submit">查看</button>
</form>
"""


def _page() -> str:
    style = re.search(r"<style>.*?</style>", BASE.read_text(encoding="utf-8"), re.S)
    assert style is not None
    return (
        f'<!doctype html><html lang="zh"><head>{style.group(0)}</head><body>{FILTERS}</body></html>'
    )


def _boxes(width: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.set_content(_page())
            boxes: dict[str, dict[str, float]] = page.evaluate(
                """() => Object.fromEntries(['from', 'to', 'by'].flatMap(id => {
                    const field = document.getElementById(id).getBoundingClientRect();
                    const label = document.querySelector(`label[for=${id}]`)
                        .getBoundingClientRect();
                    const box = r => ({top: r.top, left: r.left, bottom: r.bottom});
                    return [[id, box(field)], ['label-' + id, box(label)]];
                }))"""
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            return boxes
        finally:
            browser.close()


def test_at_390_px_each_filter_label_is_above_its_own_field() -> None:
    _need_browser()
    b = _boxes(390)
    previous_bottom = 0.0
    for name in ("from", "to", "by"):
        label, field = b["label-" + name], b[name]
        assert label["top"] >= previous_bottom - 1, (name, b)  # below the previous field
        assert label["bottom"] <= field["top"] + 1, (name, b)  # above its own field
        assert abs(label["left"] - field["left"]) < 2, (name, b)  # in the same column
        previous_bottom = field["bottom"]


def test_at_1280_px_the_filters_stay_one_row() -> None:
    _need_browser()
    b = _boxes(1280)
    fields = ("from", "to", "by")
    # One row: every field beside every other (a wrapped row starts below the first one's
    # bottom), their bottoms aligned as `align-items: flex-end` puts them. Tops are not
    # compared: a select may be drawn a few pixels shorter than a text field.
    assert max(b[n]["top"] for n in fields) < min(b[n]["bottom"] for n in fields), b
    assert max(b[n]["bottom"] for n in fields) - min(b[n]["bottom"] for n in fields) < 4, b
    assert b["from"]["left"] < b["to"]["left"] < b["by"]["left"], b
