"""`hub`: the operator's command line (INTERFACE 11).

Each area adds its own sub-commands through a `register(subparsers)` function listed in
`_EXTENSIONS`, so this module stays a table of contents.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from hub.config import Settings
from hub.optional import optional_module
from hub.services.context import HubContext

Command = Callable[[argparse.Namespace], int]

#: Modules that add sub-commands (broker, connectors, scheduler, keys...).
_EXTENSIONS = (
    "hub.broker.cli",
    "hub.ops.cli",
    "hub.privacy_cli",
    "hub.privacy_budget_cli",
    "hub.accounts_cli",
    "hub.bundle_cli",
    "hub.import_cli",
)


def _ctx() -> HubContext:
    from hub.bootstrap import bootstrap

    return bootstrap()


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from hub.store.migrate import upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    print(f"database at head: {_redact(settings.database_url)}")
    return 0


def cmd_registry_load(args: argparse.Namespace) -> int:
    from hub.progress import ProgressLine
    from hub.services.errors import Invalid
    from hub.services.registry import load

    ctx = _ctx()
    try:
        progress = ProgressLine("登记 registry entries loaded")
        report = ctx.db.run(lambda s: load(ctx, s, Path(args.file), progress=progress))
    except Invalid as exc:
        for e in exc.errors:
            print(f"{args.file}{e.pointer}: {e.message}", file=sys.stderr)
        return 2
    print(
        f"units: {report.units_added} added, {report.units_updated} updated; "
        f"institutions: {report.institutions_added} added, {report.institutions_updated} updated"
    )
    return 0


def cmd_token_issue(args: argparse.Namespace) -> int:
    from hub.services.errors import Invalid
    from hub.services.tokens import issue

    try:
        ctx = _ctx()
        print(ctx.db.run(lambda s: issue(ctx, s, args.role, args.party, args.label, args.expires)))
    except Invalid as exc:
        print("; ".join(e.message for e in exc.errors) or exc.detail, file=sys.stderr)
        return 2
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    from hub.jsonutil import rfc3339
    from hub.services.tokens import list_tokens

    ctx = _ctx()
    now = ctx.clock.now()

    def when(moment: object) -> str:
        return rfc3339(moment)[:16].replace("T", " ") if moment else "-"  # type: ignore[arg-type]

    tokens = list_tokens(ctx, everything=args.all)  # read first: a failure prints no header
    print(
        f"{'id':36}  {'role':11} {'party':16} {'state':8} {'created':16}  "
        f"{'expires':16}  {'last used':16}  label"
    )
    for t in tokens:
        print(
            f"{t.id:36}  {t.role:11} {t.party or '-':16} {t.state(now):8} "
            f"{when(t.created_at):16}  {when(t.expires_at):16}  {when(t.last_used_at):16}  "
            f"{t.label or ''}"
        )
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from hub.services.errors import NotFound
    from hub.services.tokens import CACHE_SECONDS, revoke

    try:
        ctx = _ctx()
        view = ctx.db.run(lambda s: revoke(ctx, s, args.id, args.reason))
    except NotFound as exc:
        print(exc.detail, file=sys.stderr)
        return 2
    print(
        f"凭证 {view.id} 已吊销，{CACHE_SECONDS:.0f} 秒内在所有进程生效 / token {view.id} "
        f"revoked; every hub process refuses it within {CACHE_SECONDS:.0f} s"
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from hub.progress import ProgressLine
    from hub.services.audit_trail import verify_trail
    from privacy.signing import SignatureError, Verifier

    ctx = _ctx()
    verifiers = None
    if args.public_key:
        try:
            verifiers = [Verifier.from_pem(Path(k).read_bytes()) for k in args.public_key]
        except (OSError, SignatureError) as exc:
            print(f"cannot read the public key: {exc}", file=sys.stderr)
            return 2
    file = Path(args.checkpoints) if args.checkpoints else None
    report = verify_trail(ctx, file, verifiers, ProgressLine("审计条目 audit entries checked"))
    for f in report.findings:
        print(f"BROKEN {f.where}: {f.reason}")
    print(
        f"{report.entries} audit entries checked, {report.checkpoints} signed checkpoints "
        f"(entries up to id {report.covered_upto} covered), {len(report.findings)} breaks"
    )
    return 0 if report.ok else 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from hub.audit_checkpointer import write_checkpoint

    cp = write_checkpoint(_ctx())
    if cp is None:
        print("nothing new to sign since the last checkpoint")
    else:
        print(f"checkpoint {cp.seq}: {cp.entries} entries up to id {cp.upto_id}, key {cp.key_id}")
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    from datetime import date

    from hub.services.audit_trail import export

    try:
        first, last = date.fromisoformat(args.from_day), date.fromisoformat(args.to_day)
    except ValueError:
        print("--from and --to take YYYY-MM-DD / 日期格式为 YYYY-MM-DD", file=sys.stderr)
        return 2
    if last < first:
        print("--to is before --from / 结束日期早于开始日期", file=sys.stderr)
        return 2
    ctx = _ctx()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            n = export(ctx, first, last, out)
        print(f"{n} audit entries written to {args.out}", file=sys.stderr)
    else:
        n = export(ctx, first, last, sys.stdout)
        print(f"{n} audit entries", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import shutil

    from hub.metrics_server import prepare_worker_metrics, start_from_args, wanted
    from hub.server import serve

    # several workers: their counters go to files the metrics port adds up
    folder = prepare_worker_metrics() if args.workers > 1 and wanted(args) else None
    served = start_from_args(args, "serve", multiprocess_dir=folder)
    try:
        return serve(args.host, args.port, workers=args.workers)
    finally:
        if served is not None:
            served.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from hub.server import demo

    return demo(args.host, args.port)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class OperatorParser(argparse.ArgumentParser):
    """argparse, with its errors as one line, Chinese first (sub-commands inherit it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            2,
            f"参数有误（用法：{self.prog} --help） / bad arguments: {self.prog}: {message} "
            f"(usage: {self.prog} --help)\n",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = OperatorParser(prog="hub", description='OneMatter hub 解纷"一件事"枢纽')
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="library log lines (pika, httpx, SQLAlchemy...) below WARNING too, and tracebacks",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="run the hub on the embedded default with the demo registry")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="HTTP port")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="HTTP port (it serves /metrics too)")
    p.add_argument("--workers", type=int, default=1, help="worker processes")
    from hub.metrics_server import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    reg = sub.add_parser("registry", help="registry").add_subparsers(
        dest="reg_command", required=True
    )
    p = reg.add_parser("load", help="load units and institutions from a JSON or YAML file")
    p.add_argument("file", help="the registry file (YAML or JSON)")
    p.set_defaults(func=cmd_registry_load)

    tok = sub.add_parser("token", help="API tokens").add_subparsers(
        dest="tok_command", required=True
    )
    p = tok.add_parser("issue", help="issue a token; prints the token alone on stdout")
    p.add_argument(
        "--role",
        required=True,
        help="portal, institution, unit, court, arbitration, databureau or admin",
    )
    p.add_argument("--party", help="the unit or institution id the token acts for")
    p.add_argument("--label", help="a note to recognise the token by")
    p.add_argument("--expires", type=int, metavar="DAYS", help="stop working after DAYS days")
    p.set_defaults(func=cmd_token_issue)
    p = tok.add_parser("list", help="tokens (never the token): state, expiry, last use")
    p.add_argument("--all", action="store_true", help="revoked and expired ones too")
    p.set_defaults(func=cmd_token_list)
    p = tok.add_parser("revoke", help="revoke a token by id; its web sessions end with it")
    p.add_argument("id", help="token id (or an unambiguous prefix of 8 or more characters)")
    p.add_argument("--reason", help="why, for the audit trail")
    p.set_defaults(func=cmd_token_revoke)

    aud = sub.add_parser("audit", help="audit trail").add_subparsers(
        dest="aud_command", required=True
    )
    p = aud.add_parser("verify", help="check the chains, the signed checkpoints and the file")
    p.add_argument("--checkpoints", metavar="FILE", help="the checkpoint file (default: local)")
    p.add_argument(
        "--public-key", action="append", metavar="PEM", help="a key checkpoints may be signed by"
    )
    p.set_defaults(func=cmd_audit_verify)
    p = aud.add_parser("checkpoint", help="sign a checkpoint of the trail now")
    p.set_defaults(func=cmd_audit_checkpoint)
    p = aud.add_parser("export", help="the entries of some days as NDJSON")
    p.add_argument("--from", dest="from_day", required=True, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="to_day", required=True, metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=cmd_audit_export)

    for name in _EXTENSIONS:
        module = optional_module(name)
        if module is not None:
            module.register(sub)
    return parser


#: Libraries whose INFO lines would bury the hub's own; shown with --verbose.
_CHATTY = ("pika", "httpx", "httpcore", "urllib3", "alembic", "sqlalchemy", "asyncio", "jieba")


_verbose = False


def logging_verbose() -> bool:
    """Whether --verbose was given (worker processes are told to log the same way)."""
    return _verbose


def configure_logging(verbose: bool) -> None:
    global _verbose
    _verbose = verbose
    from hub.config import LogSettings
    from hub.logsafety import configure

    configure(LogSettings.from_env().format)  # text, or JSON lines (HUB_LOG_FORMAT=json)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    # pika logs a failed connection at ERROR, with a traceback, several lines for one
    # failure: the hub says it once itself (the CLI's line, the workers' reconnect warning).
    logging.getLogger("pika").setLevel(logging.INFO if verbose else logging.CRITICAL)
    if verbose:
        logging.getLogger("hub").setLevel(logging.DEBUG)


def main(argv: list[str] | None = None) -> int:
    from hub.operator_errors import UNREACHABLE, explain

    argv = list(sys.argv[1:] if argv is None else argv)
    # --verbose is read anywhere on the line: `hub relay --verbose` as `hub --verbose relay`
    verbose = any(a in ("-v", "--verbose") for a in argv)
    argv = [a for a in argv if a not in ("-v", "--verbose")]
    configure_logging(verbose)
    from hub.logsafety import get_logger, install

    install()  # logs carry no personal data (privacy.logfilter), serve and demo included
    args = build_parser().parse_args(argv)
    func: Command = args.func
    try:
        return func(args)
    except Exception as exc:
        line = explain(exc)
        if line is None:
            raise
        if verbose:
            get_logger("hub.cli").exception("failed")
        print(line, file=sys.stderr)
        return UNREACHABLE


if __name__ == "__main__":
    sys.exit(main())
