"""Evidential bundles (INTERFACE 18): exported by the API and the CLI, checked with the public
key alone; one changed byte in any part fails the check."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub import cli
from privacy import evidence
from privacy.signing import Verifier
from tests.integration.conftest import Tokens
from tests.support.api import APPLICANT_NAME, Api, application_body

HUB = str(Path(sys.executable).parent / "hub")
CONTRACT = b"%PDF-1.7\n% signed agreement\n" + bytes(range(200))


def _attachment() -> dict[str, object]:
    return {
        "name": "合同.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(CONTRACT).hexdigest(),
        "size": len(CONTRACT),
        "content_base64": base64.b64encode(CONTRACT).decode(),
    }


def _case(api: Api) -> tuple[str, str]:
    r = api.submit(application_body(attachments=[_attachment()]))
    assert r.status_code == 201, r.text
    no, inst = r.json()["application_no"], r.json()["institution"]["id"]
    api.ok_event(no, inst, "received")
    api.ok_event(no, inst, "accepted")
    return no, inst


def _public_key(capsys: pytest.CaptureFixture[str]) -> Verifier:
    assert cli.main(["bundle", "public-key"]) == 0
    pem = capsys.readouterr().out
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    return Verifier.from_pem(pem)


def test_the_case_institution_and_admin_export_a_bundle_others_cannot(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    no, inst = _case(api)
    r = api.client.get(f"/v1/applications/{no}/bundle", headers=api.auth("institution", inst))
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="{no}.bundle"'
    verdict = evidence.verify(r.content, _public_key(capsys))
    assert verdict.ok, verdict.problems
    assert verdict.application_no == no and verdict.documents == 1
    manifest = json.loads(r.content.split(b"\n")[0])
    parts = manifest["parts"]
    assert parts["record"]["applicants"][0]["name"] == APPLICANT_NAME
    assert parts["timeline"] and all("type" in step for step in parts["timeline"])
    assert "timeline" not in parts["record"]
    [doc] = parts["documents"]
    assert base64.b64decode(doc["content_base64"]) == CONTRACT and doc["source"] == "attachment"
    actions = [e["action"] for e in parts["audit"]["entries"]]
    assert actions[-1] == "bundle.exported"
    assert parts["audit"]["checkpoint"]["upto_id"] >= parts["audit"]["entries"][-1]["id"]

    assert (
        api.client.get(f"/v1/applications/{no}/bundle", headers=api.auth("admin")).status_code
        == 200
    )
    other = "pm-b" if inst != "pm-b" else "pm-a"
    assert (
        api.client.get(
            f"/v1/applications/{no}/bundle", headers=api.auth("institution", other)
        ).status_code
        == 404
    )
    assert (
        api.client.get(f"/v1/applications/{no}/bundle", headers=api.auth("portal")).status_code
        == 403
    )


def _flip(data: bytes, start: int) -> bytes:
    """`data` with the first ASCII letter or digit at or after `start` changed to another
    of its kind: the JSON stays valid, only the content changes."""
    for i in range(start, len(data)):
        c = data[i : i + 1]
        if c.isdigit():
            return data[:i] + (b"1" if c != b"1" else b"2") + data[i + 1 :]
        if c.isalpha() and c.isascii():
            return data[:i] + (b"A" if c != b"A" else b"B") + data[i + 1 :]
    raise AssertionError("nothing to change")


def test_one_changed_byte_in_any_part_fails(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    no, _ = _case(api)
    data = api.client.get(f"/v1/applications/{no}/bundle", headers=api.auth("admin")).content
    verifier = _public_key(capsys)
    assert evidence.verify(data, verifier).ok
    manifest_line, signature_line = data.split(b"\n")[:2]
    parts = json.loads(manifest_line)["parts"]
    for name in evidence.PARTS:
        encoded = evidence.canonical(parts[name])
        at = manifest_line.index(encoded)
        middle = at + len(encoded) // 2
        changed = _flip(data, middle)
        assert changed != data
        verdict = evidence.verify(changed, verifier)
        assert not verdict.ok, name
        assert any(name in p or "signature" in p for p in verdict.problems), (name, verdict)
    # the signature line, the part digests, and a byte added at the end
    sig_at = len(manifest_line) + 1 + signature_line.index(b'"signature":"') + 14
    assert not evidence.verify(_flip(data, sig_at), verifier).ok
    digests_at = manifest_line.index(b'"digests":') + 12
    assert not evidence.verify(_flip(data, digests_at), verifier).ok
    assert not evidence.verify(data + b" ", verifier).ok
    # another key does not verify it
    from privacy.signing import Signer

    assert not evidence.verify(data, Signer.generate().verifier()).ok


def test_the_cli_exports_and_verifies_with_nothing_but_the_public_key(
    api: Api,
    hub_db: tuple[str, Tokens],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    no, _ = _case(api)
    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    bundle = tmp_path / "case.bundle"
    assert cli.main(["bundle", "export", no, "--out", str(bundle)]) == 0
    capsys.readouterr()
    assert cli.main(["bundle", "public-key"]) == 0
    key = tmp_path / "hub.pem"
    key.write_text(capsys.readouterr().out)
    bare = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}  # no database, no keys
    if "PYTHONPATH" in os.environ:
        bare["PYTHONPATH"] = os.environ["PYTHONPATH"]

    def verify_alone() -> subprocess.CompletedProcess[str]:
        command = [HUB, "bundle", "verify", str(bundle), "--public-key", str(key)]
        return subprocess.run(
            command, env=bare, capture_output=True, text=True, timeout=60, check=False
        )

    done = verify_alone()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bundle valid" in done.stdout
    bundle.write_bytes(_flip(bundle.read_bytes(), bundle.read_bytes().index(b'"record":') + 40))
    done = verify_alone()
    assert done.returncode == 1 and "INVALID" in done.stdout
    assert cli.main(["bundle", "export", "310000-20261123-000099-0", "--out", str(bundle)]) == 2
