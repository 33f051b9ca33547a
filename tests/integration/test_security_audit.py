"""The audit trail (Art. 24; issue 12): keyed chains, signed checkpoints in a table and an
append-only file, `hub audit verify` catching edits, deletions, reordering and truncation
back to the last checkpoint, reads of personal data audited, NDJSON export."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from hub import audit_checkpointer, cli, jsonutil
from hub.config import AuditSettings
from hub.services import audit_trail
from hub.store.models import AuditEntry
from tests.integration.conftest import Tokens
from tests.support.api import Api
from tests.support.web import sign_in


def _chain(api: Api, no: str) -> list[AuditEntry]:
    with api.ctx.db.read() as s:
        from sqlmodel import col, select

        return list(
            s.exec(select(AuditEntry).where(AuditEntry.chain == no).order_by(col(AuditEntry.id)))
        )


def _case_with_history(api: Api) -> str:
    case = api.submitted()
    no, inst = case["application_no"], case["institution"]["id"]
    api.ok_event(no, inst, "received")
    api.ok_event(no, inst, "accepted")
    return str(no)


def _verify(api: Api, file: Path) -> audit_trail.TrailReport:
    return audit_trail.verify_trail(api.ctx, file)


def test_an_entry_rewritten_without_the_key_is_caught(api: Api, tmp_path: Path) -> None:
    no = _case_with_history(api)
    entries = _chain(api, no)
    edited = entries[1]
    # what an attacker with write access but no key can do: edit and recompute SHA-256
    body = jsonutil.dumps(
        [
            edited.chain,
            jsonutil.rfc3339(edited.at),
            edited.actor_role,
            edited.actor_party,
            "application.withdrawn",
            edited.application_no,
            edited.detail,
            edited.prev_hash,
        ]
    )
    forged = hashlib.sha256(body.encode()).hexdigest()
    with api.ctx.db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE audit_entry SET action = 'application.withdrawn', hash = :h WHERE id = :i"
            ),
            {"h": forged, "i": edited.id},
        )
    report = _verify(api, tmp_path / "cp.ndjson")
    reasons = {(f.where, f.reason) for f in report.findings}
    assert (f"chain {no} entry {edited.id}", "entry content changed") in reasons


def test_entries_removed_at_the_end_of_a_chain_are_caught_back_to_the_checkpoint(
    api: Api, tmp_path: Path
) -> None:
    file = tmp_path / "cp.ndjson"
    no = _case_with_history(api)
    cp = audit_checkpointer.write_checkpoint(api.ctx, file)
    assert cp is not None and cp.seq == 1
    assert _verify(api, file).ok
    last = _chain(api, no)[-1]
    with api.ctx.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = :i"), {"i": last.id})
    report = _verify(api, file)
    assert not any(f.where.startswith("chain") for f in report.findings)  # the chain is whole
    [finding] = report.findings
    assert finding.where == "checkpoint 1" and "removed" in finding.reason


def test_entries_after_the_last_checkpoint_are_covered_by_the_next(
    api: Api, tmp_path: Path
) -> None:
    file = tmp_path / "cp.ndjson"
    _case_with_history(api)
    first = audit_checkpointer.write_checkpoint(api.ctx, file)
    assert audit_checkpointer.write_checkpoint(api.ctx, file) is None  # nothing new
    no = _case_with_history(api)
    second = audit_checkpointer.write_checkpoint(api.ctx, file)
    assert first is not None and second is not None
    assert second.seq == 2 and second.from_id == first.upto_id and second.prev == first.hash
    assert [json.loads(line)["seq"] for line in file.read_text().splitlines()] == [1, 2]
    with api.ctx.db.engine.begin() as conn:  # truncate the trail back to the first checkpoint
        conn.execute(text("DELETE FROM audit_entry WHERE id > :i"), {"i": first.upto_id})
    report = _verify(api, file)
    assert [f.where for f in report.findings] == ["checkpoint 2"]
    assert no  # the second case's whole chain went, and checkpoint 2 says so


def test_reordered_entries_are_caught(api: Api, tmp_path: Path) -> None:
    no = _case_with_history(api)
    a, b = _chain(api, no)[1:3]
    with api.ctx.db.engine.begin() as conn:  # swap two entries' places
        conn.execute(text("UPDATE audit_entry SET id = -1 WHERE id = :i"), {"i": a.id})
        conn.execute(text("UPDATE audit_entry SET id = :n WHERE id = :o"), {"n": a.id, "o": b.id})
        conn.execute(text("UPDATE audit_entry SET id = :n WHERE id = -1"), {"n": b.id})
    report = _verify(api, tmp_path / "cp.ndjson")
    assert any("predecessor" in f.reason for f in report.findings)


def test_a_checkpoint_removed_or_changed_in_the_table_is_caught_by_the_file(
    api: Api, tmp_path: Path
) -> None:
    file = tmp_path / "cp.ndjson"
    _case_with_history(api)
    audit_checkpointer.write_checkpoint(api.ctx, file)
    _case_with_history(api)
    second = audit_checkpointer.write_checkpoint(api.ctx, file)
    assert second is not None
    with api.ctx.db.engine.begin() as conn:  # hide the tail: its entries and its checkpoint
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq = 2"))
        conn.execute(text("DELETE FROM audit_entry WHERE id > :i"), {"i": second.from_id})
    report = _verify(api, file)
    wheres = [(f.where, f.reason) for f in report.findings]
    assert ("checkpoint 2", "in the checkpoint file but not in the table") in wheres
    assert any(w == "checkpoint 2" and "removed" in r for w, r in wheres)
    with api.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_checkpoint SET entries = entries + 1 WHERE seq = 1"))
    reasons = {(f.where, f.reason) for f in _verify(api, file).findings}
    assert ("checkpoint 1", "differs between the table and the file") in reasons


def test_a_checkpoint_signed_by_another_key_is_refused(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cp.ndjson"
    _case_with_history(api)
    audit_checkpointer.write_checkpoint(api.ctx, file)
    from privacy.signing import Signer

    stranger = Signer.generate().verifier()
    report = audit_trail.verify_trail(api.ctx, file, [stranger])
    assert [f.reason for f in report.findings] == [
        f"signed by an unknown key {api.ctx.vault.signer.key_id}"
    ]


def test_the_server_checkpoints_at_shutdown_and_the_cli_verifies(
    api: Api,
    hub_db: tuple[str, Tokens],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "cp.ndjson"
    monkeypatch.setenv("HUB_AUDIT_CHECKPOINT_FILE", str(file))  # for the CLI
    audit = AuditSettings(checkpoint_file=file)
    monkeypatch.setattr(api.ctx, "settings", replace(api.ctx.settings, audit=audit))
    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    halt = audit_checkpointer.start_for_server(api.ctx, None)
    _case_with_history(api)
    halt()
    assert len(file.read_text().splitlines()) == 1
    assert cli.main(["audit", "verify", "--checkpoints", str(file)]) == 0
    assert "0 breaks" in capsys.readouterr().out
    with api.ctx.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    assert cli.main(["audit", "verify", "--checkpoints", str(file)]) == 1
    assert "BROKEN checkpoint 1" in capsys.readouterr().out


def test_reads_of_personal_data_are_audited(api: Api) -> None:
    case = api.submitted()
    no, inst = case["application_no"], case["institution"]["id"]
    assert api.record(no, "institution", inst).status_code == 200
    assert api.record(no, "court", "court-310104").status_code == 404  # not entitled: not read
    c = sign_in(api, inst)
    assert c.get(f"/web/cases/{no}").status_code == 200
    reads = [e for e in _chain(api, no) if e.action == "record.read"]
    assert [(e.actor_role, e.actor_party, (e.detail or {})["via"]) for e in reads] == [
        ("institution", inst, "api"),
        ("institution", inst, "web"),
    ]
    assert all(e.at == api.ctx.clock.now() and e.application_no == no for e in reads)


def test_export_writes_the_entries_of_the_days_asked(
    api: Api, monkeypatch: pytest.MonkeyPatch, hub_db: tuple[str, Tokens], tmp_path: Path
) -> None:
    no = _case_with_history(api)
    out = io.StringIO()
    n = audit_trail.export(api.ctx, date(2026, 11, 23), date(2026, 11, 23), out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(lines) > 0 and any(line["chain"] == no for line in lines)
    assert all(line["at"].startswith("2026-11-23T") for line in lines)
    assert audit_trail.export(api.ctx, date(2026, 11, 24), date(2026, 11, 30), io.StringIO()) == 0
    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    target = tmp_path / "export.ndjson"
    code = cli.main(
        ["audit", "export", "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(target)]
    )
    assert code == 0 and len(target.read_text().splitlines()) >= n
    assert cli.main(["audit", "export", "--from", "2026-11-24", "--to", "2026-11-23"]) == 2


def _legacy_entries(url: str, *, tamper: bool = False) -> None:
    """Entries as builds before 0088 wrote them: plain SHA-256 chains."""
    from datetime import UTC, datetime

    from hub.store.db import make_engine

    engine = make_engine(url)
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    prev = "0" * 64
    try:
        with engine.begin() as conn:
            for i, action in enumerate(("token.issued", "registry.loaded", "token.issued")):
                fields = [
                    "tokens",
                    jsonutil.rfc3339(at),
                    "admin",
                    "cli",
                    action,
                    None,
                    {"n": i},
                    prev,
                ]
                digest = hashlib.sha256(jsonutil.dumps(fields).encode()).hexdigest()
                conn.execute(
                    text(
                        "INSERT INTO audit_entry (chain, at, actor_role, actor_party, action, "
                        "application_no, detail, prev_hash, hash) VALUES ('tokens', :at, "
                        "'admin', 'cli', :a, NULL, :d, :p, :h)"
                    ),
                    {
                        "at": at
                        if engine.dialect.name == "postgresql"
                        else "2026-11-23 02:00:00.000000",
                        "a": "tampered" if tamper and i == 1 else action,
                        "d": json.dumps({"n": i}),
                        "p": prev,
                        "h": digest,
                    },
                )
                prev = digest
    finally:
        engine.dispose()


@pytest.mark.empty_database
def test_the_upgrade_keys_the_chains_an_older_build_wrote(
    database_url: str, tmp_path: Path
) -> None:
    from hub.store.audit import verify
    from hub.store.migrate import upgrade
    from tests.support.hubctx import make_hub

    upgrade(database_url, "0087")
    _legacy_entries(database_url)
    ctx = make_hub(database_url, tmp_path)  # upgrades to head
    try:
        with ctx.db.read() as s:
            count, breaks = verify(s)
        assert count >= 3 and breaks == []
        with ctx.db.engine.connect() as conn:
            first = conn.execute(text("SELECT hash FROM audit_entry ORDER BY id LIMIT 1")).scalar()
        assert first is not None and len(first) == 64
    finally:
        ctx.db.dispose()


@pytest.mark.empty_database
def test_the_upgrade_refuses_to_key_a_trail_already_broken(
    database_url: str, tmp_path: Path
) -> None:
    from hub.store.migrate import upgrade

    upgrade(database_url, "0087")
    _legacy_entries(database_url, tamper=True)
    with pytest.raises(RuntimeError, match="does not verify"):
        upgrade(database_url)


def test_entry_hashes_read_in_batches_digest_as_one_entry_at_a_time(api: Api) -> None:
    from hub.store import audit, audit_checkpoints

    for _ in range(3):
        _case_with_history(api)
    with api.ctx.db.read() as session:
        rows = session.execute(text("SELECT id, hash FROM audit_entry ORDER BY id")).all()
        every = list(audit_checkpoints.entry_hashes(session, 0))
        paged = list(audit_checkpoints.entry_hashes(session, rows[0][0], rows[-2][0], batch=2))
    assert every == [(int(i), h) for i, h in rows]
    assert paged == every[1:-1]
    one_at_a_time = hashlib.sha256()
    for entry_id, entry_hash in every * 400:  # past the digest's 1,000-entry chunks
        one_at_a_time.update(f"{entry_id}:{entry_hash}\n".encode())
    assert audit.range_digest(every * 400) == (len(every) * 400, one_at_a_time.hexdigest())
