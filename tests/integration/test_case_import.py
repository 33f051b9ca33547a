"""Import of historical cases (INTERFACE 12): POST /v1/import/cases and `hub import cases`,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hub import cli
from tests.support.api import Api, count_changes, count_rows, make_number, number_is_valid
from tests.support.imports import import_line, ndjson

NDJSON = {"content-type": "application/x-ndjson"}


def _post(api: Api, body: bytes, role: str = "admin", party: str | None = None) -> Any:
    return api.client.post(
        "/v1/import/cases", content=body, headers={**api.auth(role, party), **NDJSON}
    )


def _rows(api: Api, sql: str, **params: Any) -> list[Any]:
    with api.ctx.db.engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


def test_lines_imported_reported_and_safe_to_repeat(api: Api) -> None:
    kept = make_number("20250305", 17)
    lines = ndjson(
        import_line(),
        import_line(source_no="LP-2025-0002", applicants=[{"kind": "person"}]),  # bad party
        "{not json",
        import_line(
            source_no="LP-2025-0003",
            application_no=kept,
            received_at="2025-03-05T11:00:00+08:00",
            events=[],
        ),
        import_line(source_no="LP-2025-0004", institution="no-such-body"),
        import_line(),  # the first line again, in the same file
    )
    answer = _post(api, lines)
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["imported"], summary["duplicate"], summary["invalid"]) == (2, 1, 3)
    refused = {r["line"]: r for r in summary["refused"]}
    assert sorted(refused) == [2, 3, 5]
    assert refused[2]["source_no"] == "LP-2025-0002"
    assert any(e["pointer"].startswith("/applicants/0") for e in refused[2]["errors"])
    assert refused[3]["errors"][0]["pointer"] == ""
    assert refused[5]["errors"][0]["pointer"] == "/institution"

    # no message for history; numbers: kept as given, or the day's first
    assert _rows(api, "SELECT count(*) FROM outbox")[0][0] == 0
    cases = dict(_rows(api, "SELECT source_no, no FROM application WHERE source IS NOT NULL"))
    assert cases["LP-2025-0003"] == kept
    assert cases["LP-2025-0001"] == make_number("20250303", 1)
    assert number_is_valid(cases["LP-2025-0001"])

    # a repeat changes nothing; other content under the same number is invalid
    before = count_rows(api.ctx)
    again = _post(api, lines).json()
    assert (again["imported"], again["duplicate"], again["invalid"]) == (0, 3, 3)
    changed = _post(api, ndjson(import_line(facts="另一件事。"))).json()
    assert changed["invalid"] == 1
    assert changed["refused"][0]["errors"][0]["pointer"] == "/source_no"
    assert count_rows(api.ctx) == before

    # the record, its timeline, deadlines met or missed, an audit entry
    no = cases["LP-2025-0001"]
    record = api.record(no).json()
    assert record["status"] == "closed_success" and record["outcome"] == "success"
    assert [s["type"] for s in record["timeline"]] == [
        "submitted",
        "dispatched",
        "received",
        "accepted",
        "closed",
    ]
    deadlines = dict(
        _rows(
            api,
            "SELECT kind, overdue_at IS NOT NULL FROM deadline WHERE application_no = :no",
            no=no,
        )
    )
    # acknowledge 1 working day (met on the day), respondent contact never recorded before
    # closing on the 20th (3 working days: missed), decide_by met by the acceptance
    assert deadlines == {"acknowledge_by": False, "respondent_contact_by": True, "decide_by": False}
    assert _rows(
        api,
        "SELECT action FROM audit_entry WHERE application_no = :no AND action NOT LIKE '%.read'",
        no=no,
    ) == [("application.imported",)]
    open_case = api.record(kept).json()
    assert open_case["status"] == "dispatched" and open_case["institution"]["id"] == "pm-a"


def test_numbers_follow_the_day_and_kept_ones(api: Api) -> None:
    day = "2025-04-07T09:00:00+08:00"
    kept = make_number("20250407", 5)
    first = _post(
        api,
        ndjson(
            import_line(source_no="A1", received_at=day, events=[]),
            import_line(source_no="A2", received_at=day, events=[], application_no=kept),
            import_line(source_no="A3", received_at=day, events=[]),
        ),
    ).json()
    assert first["imported"] == 3
    nos = dict(_rows(api, "SELECT source_no, no FROM application WHERE source IS NOT NULL"))
    # numbers the hub gives follow the highest the day has (the kept 5)
    assert {nos["A1"], nos["A3"]} == {make_number("20250407", 6), make_number("20250407", 7)}
    taken = _post(
        api, ndjson(import_line(source_no="A4", received_at=day, events=[], application_no=kept))
    ).json()
    assert taken["refused"][0]["errors"][0]["pointer"] == "/application_no"
    wrong_day = _post(
        api, ndjson(import_line(source_no="A5", events=[], application_no=kept))
    ).json()
    assert wrong_day["refused"][0]["errors"][0]["pointer"] == "/application_no"


def test_events_checked_by_the_state_machine_and_clock(api: Api) -> None:
    lines = ndjson(
        # closing before accepting is allowed? no: closed needs accepted first
        import_line(
            source_no="B1",
            events=[
                {
                    "type": "closed",
                    "at": "2025-03-04T09:00:00+08:00",
                    "data": {"outcome": "success"},
                }
            ],
        ),
        import_line(
            source_no="B2", events=[{"type": "received", "at": "2025-03-02T09:00:00+08:00"}]
        ),  # before received_at
        import_line(
            source_no="B3",
            events=[
                {"type": "received", "at": "2025-03-05T09:00:00+08:00"},
                {"type": "accepted", "at": "2025-03-04T09:00:00+08:00"},
            ],
        ),  # before the previous
        import_line(source_no="B4", received_at="2099-01-01T00:00:00+08:00", events=[]),
        import_line(
            source_no="B5",
            events=[
                {
                    "type": "returned",
                    "at": "2025-03-04T09:00:00+08:00",
                    "data": {"reason": "不属本会受理范围"},
                }
            ],
        ),
    )
    summary = _post(api, lines).json()
    refused = {r["line"]: r["errors"][0]["pointer"] for r in summary["refused"]}
    assert refused == {1: "/events/0/type", 2: "/events/0/at", 3: "/events/1/at", 4: "/received_at"}
    [(status, inst)] = _rows(
        api, "SELECT status, institution_id FROM application WHERE source_no = 'B5'"
    )
    assert (status, inst) == ("undeliverable", None)


def test_referrals_imported(api: Api) -> None:
    closed_failure = [
        {"type": "accepted", "at": "2025-03-04T09:00:00+08:00"},
        {
            "type": "closed",
            "at": "2025-03-20T16:00:00+08:00",
            "data": {"outcome": "failure", "remedies": "可向人民法院起诉。"},
        },
    ]
    line = import_line(
        source_no="R1",
        events=closed_failure,
        referrals=[
            {
                "kind": "litigation",
                "target": "court-310104",
                "requested_at": "2025-03-21T09:00:00+08:00",
                "outcome": "filed",
                "case_no": "(2025)沪0104民初1号",
                "decided_on": "2025-03-28",
            }
        ],
    )
    summary = _post(api, ndjson(line)).json()
    assert summary["imported"] == 1, summary
    [(status,)] = _rows(api, "SELECT status FROM application WHERE source_no = 'R1'")
    assert status == "litigation_filed"
    [(kind, rstatus, outcome)] = _rows(api, "SELECT kind, status, outcome FROM referral")
    assert (kind, rstatus, outcome) == ("litigation", "decided", "filed")
    bad = import_line(
        source_no="R2",
        referrals=[
            {
                "kind": "litigation",
                "target": "court-310104",
                "requested_at": "2025-03-21T09:00:00+08:00",
            }
        ],
    )  # litigation after success: no
    assert _post(api, ndjson(bad)).json()["refused"][0]["errors"][0]["pointer"] == (
        "/referrals/0/kind"
    )


def test_imported_cases_counted_by_stats(api: Api) -> None:
    assert _post(api, ndjson(import_line())).json()["imported"] == 1
    stats = api.client.get(
        "/v1/stats",
        params={"by": "institution", "from": "2025-03-01", "to": "2025-03-31"},
        headers=api.auth("admin"),
    ).json()
    [row] = stats["rows"]
    assert row["institution"] == "pm-a" and row["received"] == 1
    assert row["closed"]["success"] == 1 and row["overdue"] == 1


def test_roles_and_content_type(api: Api) -> None:
    line = ndjson(import_line())
    assert _post(api, line, "portal", "portal").status_code == 403
    assert (
        api.client.post(
            "/v1/import/cases",
            content=line,
            headers={**api.auth("admin"), "content-type": "application/json"},
        ).status_code
        == 415
    )
    # an institution imports its own cases only
    mine = _post(api, line, "institution", "pm-a").json()
    assert mine["imported"] == 1
    theirs = _post(api, ndjson(import_line(source_no="X2")), "institution", "pm-b").json()
    assert theirs["refused"][0]["errors"][0]["pointer"] == "/institution"


@pytest.mark.parametrize("workers", [1, 2])
def test_cli_reports_and_summary(
    api: Api,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    workers: int,
) -> None:
    if workers == 2 and api.ctx.db.engine.dialect.name == "sqlite":
        pytest.skip("one writer on SQLite")
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    lines = [
        import_line(source_no=f"C{i}", received_at=f"2025-03-{i + 3:02d}T09:00:00+08:00", events=[])
        for i in range(6)
    ]
    path = tmp_path / "cases.ndjson"
    path.write_bytes(ndjson(*lines, import_line(source_no="C9", institution="nobody")))
    code = cli.main(["import", "cases", str(path), "--workers", str(workers), "--batch", "2"])
    out, err = capsys.readouterr()
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["imported"], summary["duplicate"], summary["invalid"]) == (6, 0, 1)
    assert summary["rate"] > 0 and summary["seconds"] > 0
    assert code == 1
    [report] = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert report["line"] == 7 and report["source_no"] == "C9"
    assert cli.main(["import", "cases", str(path)]) == 1  # again: duplicates, still the bad line
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["imported"], summary["duplicate"]) == (0, 6)


def test_workers_number_after_the_day_and_repeat_safely(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three importing processes: each day's numbers follow what the day already had (a case
    imported before, a kept number in the file) without gaps, and a second run with three
    workers finds every case a duplicate."""
    if api.ctx.db.engine.dialect.name == "sqlite":
        pytest.skip("one writer on SQLite")
    monkeypatch.setenv("HUB_DATABASE_URL", api.ctx.settings.database_url)
    days = [f"2025-05-{d:02d}" for d in (5, 6, 7, 8)]
    first = _post(
        api,
        ndjson(import_line(source_no="B0", received_at=f"{days[0]}T08:00:00+08:00", events=[])),
    )
    assert first.json()["imported"] == 1  # the 5th already has its number 1
    kept = make_number("20250506", 7)
    lines = [
        import_line(source_no=f"W{d}-{i}", received_at=f"{day}T{9 + i:02d}:00:00+08:00", events=[])
        for d, day in enumerate(days)
        for i in range(5)
    ]
    lines.insert(
        3,
        import_line(
            source_no="K", received_at=f"{days[1]}T08:30:00+08:00", application_no=kept, events=[]
        ),
    )
    path = tmp_path / "cases.ndjson"
    path.write_bytes(ndjson(*lines))
    args = ["import", "cases", str(path), "--workers", "3", "--batch", "2"]
    assert cli.main(args) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["imported"], summary["duplicate"], summary["invalid"]) == (21, 0, 0)
    numbers = [no for (no,) in _rows(api, "SELECT no FROM application")]
    by_day: dict[str, list[int]] = {}
    for no in numbers:
        assert number_is_valid(no)
        _, day, sequence, _ = no.split("-")
        by_day.setdefault(day, []).append(int(sequence))
    assert sorted(by_day["20250505"]) == [1, 2, 3, 4, 5, 6]
    assert sorted(by_day["20250506"]) == [7, 8, 9, 10, 11, 12]  # after the kept 7
    assert sorted(by_day["20250507"]) == sorted(by_day["20250508"]) == [1, 2, 3, 4, 5]
    assert cli.main(args) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (again["imported"], again["duplicate"], again["invalid"]) == (0, 21, 0)
    assert len(_rows(api, "SELECT no FROM application")) == 22


@pytest.mark.parametrize(
    "body",
    [
        b"[" + ndjson(import_line()).strip() + b"]\n",  # a JSON array
        b"source,source_no,channel\nlegacy,A1,window\n",  # CSV
        b"\n\x1f\x8b\x08\x00\x00\x00\x00\x00\n",  # gzip, after a blank line
    ],
)
def test_a_body_that_is_not_ndjson_is_refused_whole(api: Api, body: bytes) -> None:
    before = count_changes(api.ctx)
    answer = _post(api, body)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert "NDJSON" in problem["detail"]
    first = 2 if body.startswith(b"\n") else 1
    assert [e["pointer"] for e in problem["errors"]] == [f"/line/{first}"]
    assert count_changes(api.ctx) == before


def test_another_institutions_case_of_the_same_source_is_not_named(api: Api) -> None:
    """Two institutions migrate from one old platform, each numbering its cases from 1
    (outside review 2026-12-03). `(source, source_no)` is unique per source, not per
    importing party (README "Import"): the second one's line is refused at /source_no
    without the number of the case it may not see, and imports under a source of its own."""
    assert _post(api, ndjson(import_line()), "institution", "pm-a").json()["imported"] == 1
    [theirs] = [no for (no,) in _rows(api, "SELECT no FROM application")]
    assert api.record(theirs, "institution", "cm-x").status_code == 404  # not cm-x's
    line = import_line(institution="cm-x", events=[])
    answer = _post(api, ndjson(line), "institution", "cm-x").json()
    assert answer["invalid"] == 1 and theirs not in json.dumps(answer, ensure_ascii=False)
    [error] = answer["refused"][0]["errors"]
    assert error["pointer"] == "/source_no"
    assert error["message"].index("来源") < error["message"].index(" / ")
    # the importer who may see the case is told its number, as before
    admin = _post(api, ndjson(import_line(facts="另一件事。")), "admin").json()
    assert theirs in admin["refused"][0]["errors"][0]["message"]
    own = _post(api, ndjson({**line, "source": "legacy-platform-cm-x"}), "institution", "cm-x")
    assert own.json()["imported"] == 1, own.text
