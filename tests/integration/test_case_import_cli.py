"""`hub import cases` as a clerk runs it (INTERFACE 12): the refused file, blank lines, the
progress line on a terminal, a repeat within the file, and the workers' log lines, on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import multiprocessing
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from hub import cli, import_cli
from hub.store import imports
from tests.support.api import Api, count_rows
from tests.support.imports import import_line, ndjson


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _summary(out: str) -> dict[str, Any]:
    return dict(json.loads(out.strip().splitlines()[-1]))


def _day_lines(count: int, prefix: str = "P") -> list[dict[str, Any]]:
    return [
        import_line(
            source_no=f"{prefix}{i}",
            received_at=f"2025-04-{1 + i % 20:02d}T09:{i % 60:02d}:00+08:00",
            events=[],
        )
        for i in range(count)
    ]


def test_a_file_that_is_not_ndjson_is_refused_at_once(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(_day_lines(3), ensure_ascii=False, indent=2), encoding="utf-8")
    before = count_rows(api.ctx)
    assert cli.main(["import", "cases", str(path), "--workers", "1"]) == 2
    out, err = capsys.readouterr()
    [line] = [x for x in err.splitlines() if x.strip()]
    assert "不是 NDJSON" in line and "not NDJSON" in line and line.endswith(": [")
    assert out == "" and count_rows(api.ctx) == before

    # stdin alike; a file that starts with blank lines and then an object is NDJSON
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a,b,c\n1,2,3\n")))
    assert cli.main(["import", "cases", "-"]) == 2
    assert "not NDJSON" in capsys.readouterr().err


def test_blank_lines_are_skipped_and_counted(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    one, two = _day_lines(2)
    path = tmp_path / "cases.ndjson"
    path.write_bytes(b"\n" + ndjson(one) + b"  \n\n" + ndjson(two))
    assert cli.main(["import", "cases", str(path), "--workers", "1"]) == 0
    summary = _summary(capsys.readouterr().out)
    assert (summary["imported"], summary["blank"], summary["invalid"]) == (2, 3, 0)


def test_a_repeat_within_the_file_names_its_line(api: Api) -> None:
    first, other = _day_lines(2)
    changed = {**first, "facts": "另一件事，内容不同。"}
    answer = api.client.post(
        "/v1/import/cases",
        content=ndjson(first, other, changed, first),
        headers={**api.auth("admin"), "content-type": "application/x-ndjson"},
    ).json()
    assert (answer["imported"], answer["duplicate"], answer["invalid"]) == (2, 1, 1)
    [report] = answer["refused"]
    assert report["line"] == 3
    message = report["errors"][0]["message"]
    assert "第 1 行" in message and "line 1 " in message
    assert report["errors"][0]["pointer"] == "/source_no"


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_before_the_first_batch_ends(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    if workers == 2 and api.ctx.db.engine.dialect.name == "sqlite":
        pytest.skip("one writer on SQLite")
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    path = tmp_path / "cases.ndjson"
    path.write_bytes(ndjson(*_day_lines(250)))
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert cli.main(["import", "cases", str(path), "--workers", str(workers)]) == 0
    shown = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+)/250 ·", tty.getvalue())]
    assert any(0 < n < 250 for n in shown), shown  # within the one 1,000-line batch


def _raced_work(path: str, out: Any) -> None:
    """A worker whose first look-up misses the case already there: its batch is raced."""
    real = imports.imported_before
    calls = [0]

    def missing_once(*args: Any) -> Any:
        calls[0] += 1
        return {} if calls[0] == 1 else real(*args)

    imports.imported_before = missing_once  # type: ignore[assignment]
    import_cli._work(path, 0, 1, 1000, out, False)


def test_a_worker_logs_a_race_in_the_hub_format_without_the_database_detail(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    monkeypatch.setenv("HUB_LOG_FORMAT", "json")
    line = import_line(source_no="RACE-7731", events=[])
    path = tmp_path / "cases.ndjson"
    path.write_bytes(ndjson(line))
    assert cli.main(["import", "cases", str(path), "--workers", "1"]) == 0
    capfd.readouterr()
    mp = multiprocessing.get_context("spawn")
    out: Any = mp.Queue()
    worker = mp.Process(target=_raced_work, args=(str(path), out))
    worker.start()
    batch = out.get(timeout=120)
    assert batch[0] == "batch" and batch[1]["duplicate"] == 1
    assert out.get(timeout=60)[0] == "done"
    worker.join(60)
    err = capfd.readouterr().err
    # every log line JSON (the child's import of this module warns through `warnings`)
    lines = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    [raced] = [x for x in lines if x["event"] == "import batch raced; one by one"]
    assert raced["level"] == "warning" and raced["lines"] == 1  # psycopg may warn as well
    assert "RACE-7731" not in err and "DETAIL" not in err
