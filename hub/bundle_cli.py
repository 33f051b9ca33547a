"""`hub bundle ...`: evidential bundles for courts (INTERFACE 18).

hub bundle export NO [--out FILE]             the case's signed bundle (default NO.bundle)
hub bundle public-key                         the PEM public key operators give to courts
hub bundle verify FILE --public-key KEYFILE   check a bundle with nothing else
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def cmd_export(args: argparse.Namespace) -> int:
    from hub.audit_checkpointer import write_checkpoint
    from hub.bootstrap import bootstrap
    from hub.services import bundles
    from hub.services.casework import canonical_no
    from hub.services.errors import Invalid, NotFound
    from hub.services.principal import Principal, Role

    try:
        no = canonical_no(args.no)
    except Invalid:
        print("办件编号无效 / invalid application number", file=sys.stderr)
        return 2
    ctx = bootstrap()
    operator = Principal(Role.ADMIN, None, "cli")
    try:
        # The export's audit entry committed, a checkpoint over it, then the bundle.
        ctx.db.run(lambda s: bundles.record_export(ctx, s, operator, no, via="cli"))
        write_checkpoint(ctx)
        with ctx.db.read() as session:
            data = bundles.seal(ctx, session, no)
    except NotFound:
        print(f"没有这个办件 / no application {no}", file=sys.stderr)
        return 2
    finally:
        ctx.db.dispose()
    out = Path(args.out or f"{no}.bundle")
    out.write_bytes(data)
    print(f"{out} ({len(data)} bytes), signed with key {ctx.vault.signer.key_id}")
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    from privacy.config import load_signing_seed_from_env
    from privacy.crypto import KeyConfigError
    from privacy.signing import Signer

    try:
        signer = Signer.from_seed(load_signing_seed_from_env())
    except KeyConfigError as exc:
        print(f"签名密钥配置有误 / the signing key is not configured right: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(signer.public_pem())
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Only the file and the public key: no database, no hub key, no configuration."""
    from privacy.evidence import verify
    from privacy.signing import SignatureError, Verifier

    try:
        pem = Path(args.public_key).read_bytes()
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(
            f"无法读取公钥或证据包 / cannot read the public key or the bundle: {exc}",
            file=sys.stderr,
        )
        return 2
    try:
        verifier = Verifier.from_pem(pem)
    except SignatureError:  # one line: cryptography's own message is a paragraph
        print(
            "公钥格式有误，须为 PEM 格式的 Ed25519 公钥（hub bundle public-key 的输出） / the "
            "public key is malformed: it must be a PEM Ed25519 public key, as hub bundle "
            f"public-key prints it: {args.public_key}",
            file=sys.stderr,
        )
        return 2
    verdict = verify(data, verifier)
    for problem in verdict.problems:
        print(f"INVALID: {problem}")
    if verdict.ok:
        print(
            f"证据包有效 / bundle valid: {verdict.application_no}, {verdict.documents} "
            f"documents, {verdict.entries} audit entries, key {verifier.key_id}"
        )
        return 0
    print("证据包无效 / bundle INVALID")
    return 1


def register(sub: Any) -> None:
    bundle = sub.add_parser("bundle", help="evidential bundles for courts").add_subparsers(
        dest="bundle_command", required=True
    )
    p = bundle.add_parser("export", help="the signed bundle of a case")
    p.add_argument("no", metavar="NO", help="the application number")
    p.add_argument("--out", metavar="FILE", help="write the bundle here")
    p.set_defaults(func=cmd_export)
    p = bundle.add_parser("public-key", help="print the PEM public key that checks bundles")
    p.set_defaults(func=cmd_public_key)
    p = bundle.add_parser("verify", help="check a bundle with the public key alone")
    p.add_argument("file", help="the bundle file")
    p.add_argument(
        "--public-key", required=True, metavar="KEYFILE", help="the signer's public key (PEM)"
    )
    p.set_defaults(func=cmd_verify)
