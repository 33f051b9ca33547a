"""Evidential bundles (证据包, INTERFACE 18): one file a court can check with the public key.

A bundle is two lines of UTF-8 text:

1. the manifest, canonical JSON (keys sorted, no spaces, no escapes beyond JSON's own):
   ``{"format", "application_no", "created_at", "key_id", "parts": {"record", "timeline",
   "documents", "audit"}, "digests": {<part>: <hex SHA-256 of the part's canonical JSON>}}``;
2. ``{"alg": "Ed25519", "key_id", "signature"}``: the signature of line 1's exact bytes.

`verify` needs the file and the hub's public key (PEM), nothing else: it checks that line 1
is canonical (so no byte of it can change unnoticed), each part's digest, each document's
size and SHA-256 against its content, that the audit entries follow one another
(`prev_hash` = the hash before), that the checkpoint included was signed by the same key
and covers the last entry, and the signature. Any changed byte fails one of these.

This module uses only the standard library and `cryptography` (privacy.signing).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from privacy.signing import ALGORITHM, Signer, Verifier

FORMAT = "onematter-evidence-bundle/1"
PARTS = ("record", "timeline", "documents", "audit")
GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def seal(
    *, application_no: str, created_at: str, parts: Mapping[str, Any], signer: Signer
) -> bytes:
    """The bundle's bytes: manifest line and signature line."""
    missing = [name for name in PARTS if name not in parts]
    if missing:
        raise ValueError(f"bundle parts missing: {missing}")
    manifest = {
        "format": FORMAT,
        "application_no": application_no,
        "created_at": created_at,
        "key_id": signer.key_id,
        "parts": {name: parts[name] for name in PARTS},
        "digests": {name: digest(parts[name]) for name in PARTS},
    }
    line = canonical(manifest)
    signature = {"alg": ALGORITHM, "key_id": signer.key_id, "signature": signer.sign(line)}
    return line + b"\n" + canonical(signature) + b"\n"


@dataclass
class Verdict:
    application_no: str | None = None
    problems: list[str] = field(default_factory=list)
    documents: int = 0
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(data: bytes, verifier: Verifier) -> Verdict:
    verdict = Verdict()
    lines = data.split(b"\n")
    if len(lines) != 3 or lines[2] != b"":
        verdict.problems.append("not a bundle: two lines expected")
        return verdict
    line, sig_line = lines[0], lines[1]
    try:
        manifest = json.loads(line.decode("utf-8"))
        signature = json.loads(sig_line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        verdict.problems.append("not a bundle: not JSON")
        return verdict
    if not isinstance(manifest, dict) or not isinstance(signature, dict):
        verdict.problems.append("not a bundle: not JSON objects")
        return verdict
    verdict.application_no = manifest.get("application_no")
    if manifest.get("format") != FORMAT:
        verdict.problems.append(f"unknown format {manifest.get('format')!r}")
    if canonical(manifest) != line:
        verdict.problems.append("manifest is not in canonical form (bytes changed)")
    if canonical(signature) != sig_line:
        verdict.problems.append("signature line is not in canonical form (bytes changed)")
    found_parts, found_digests = manifest.get("parts"), manifest.get("digests")
    parts: dict[str, Any] = found_parts if isinstance(found_parts, dict) else {}
    digests: dict[str, Any] = found_digests if isinstance(found_digests, dict) else {}
    for name in PARTS:
        if name not in parts:
            verdict.problems.append(f"part {name} missing")
        elif digests.get(name) != digest(parts[name]):
            verdict.problems.append(f"part {name} does not match its digest")
    _documents(parts.get("documents"), verdict)
    _audit(parts.get("audit"), verifier, verdict)
    if signature.get("alg") != ALGORITHM:
        verdict.problems.append(f"unknown signature algorithm {signature.get('alg')!r}")
    if signature.get("key_id") != verifier.key_id or manifest.get("key_id") != verifier.key_id:
        verdict.problems.append("signed by another key than the one given")
    if not verifier.verify(line, str(signature.get("signature", ""))):
        verdict.problems.append("signature does not verify")
    return verdict


def _documents(documents: Any, verdict: Verdict) -> None:
    if not isinstance(documents, list):
        verdict.problems.append("documents: not a list")
        return
    for i, doc in enumerate(documents):
        try:
            content = base64.b64decode(doc["content_base64"], validate=True)
            declared, size = doc["sha256"], int(doc["size"])
        except (KeyError, TypeError, ValueError, binascii.Error):
            verdict.problems.append(f"document {i}: malformed")
            continue
        if len(content) != size or hashlib.sha256(content).hexdigest() != declared:
            verdict.problems.append(f"document {i} ({doc.get('name')}): content does not match")
        verdict.documents += 1


def _audit(audit: Any, verifier: Verifier, verdict: Verdict) -> None:
    if not isinstance(audit, dict) or not isinstance(audit.get("entries"), list):
        verdict.problems.append("audit: malformed")
        return
    entries = audit["entries"]
    prev, last_id = GENESIS, 0
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            verdict.problems.append(f"audit entry {i}: malformed")
            continue
        if entry.get("prev_hash") != prev:
            verdict.problems.append(f"audit entry {i}: does not follow the entry before it")
        if not isinstance(entry.get("id"), int) or entry["id"] <= last_id:
            verdict.problems.append(f"audit entry {i}: out of order")
        else:
            last_id = entry["id"]
        prev = str(entry.get("hash"))
    verdict.entries = len(entries)
    checkpoint = audit.get("checkpoint")
    if checkpoint is None:
        return
    try:
        signed = {
            name: checkpoint[name]
            for name in (
                "v",
                "seq",
                "at",
                "from_id",
                "upto_id",
                "entries",
                "digest",
                "prev",
                "key_id",
            )
        }
        body = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode("ascii")
    except (KeyError, TypeError, UnicodeEncodeError):
        verdict.problems.append("audit checkpoint: malformed")
        return
    if hashlib.sha256(body).hexdigest() != checkpoint.get("hash") or not verifier.verify(
        body, str(checkpoint.get("signature", ""))
    ):
        verdict.problems.append("audit checkpoint: signature does not verify")
    if not isinstance(checkpoint.get("upto_id"), int) or checkpoint["upto_id"] < last_id:
        verdict.problems.append("audit checkpoint: does not cover the last entry")
