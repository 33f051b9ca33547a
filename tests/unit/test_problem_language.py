"""Error details in one language each, Chinese and English both given (issue 13.9): the
Chinese half (before ` / `) names statuses in Chinese, never by their code ("当前状态为
accepted", "该申请已approved"), and the English half has no Chinese.

Two walks: every bilingual text the code holds (a string, f-string or `.format` template
with ` / ` in hub/, schemas/, privacy/), read from the source; and the details the code
builds at run time for every status and action (wrong-state conflicts, the domain's
refusals, several violations at once, the default problems, the query checks of every
declared parameter)."""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.api import problems
from hub.api.app import _collect_routes
from hub.api.declare import DeclaredRoute, _expected
from hub.domain.errors import InvalidTransition, NotAllowed
from hub.domain.status import (
    EventType,
    ReferralKind,
    Status,
    next_status_for_event,
    status_for_referral_request,
    status_for_referral_result,
)
from hub.ops.complaints import STATUS_TEXT as COMPLAINT_STATUSES
from hub.ops.governance import CHANGE_STATUSES
from hub.ops.workorders import STATUS_TEXT as WORKORDER_STATUSES
from hub.services.errors import Invalid, Throttled, Violation
from hub.services.lifecycle import wrong_state
from hub.services.principal import Role
from hub.services.referrals import REFERRAL_STATUSES

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("hub", "schemas", "privacy")
SEP = " / "
HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: The codes of statuses and actions, which the Chinese half must give in words.
VOCABULARY = frozenset(
    {s.value for s in Status}
    | {e.value for e in EventType}
    | {k.value for k in ReferralKind}
    | set(CHANGE_STATUSES)
    | set(COMPLAINT_STATUSES)
    | set(WORKORDER_STATUSES)
    | set(REFERRAL_STATUSES)
    | {"revoked", "expired"}  # a consent grant's (hub.services.sharing.grants)
) - {r.value for r in Role}  # a role is typed as is ("court 角色须对应法院"), like admin
_WORD = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z_]*[a-z](?![A-Za-z0-9_])")
#: A value put into a text that is a status or action code (not a translation of one).
_CODE_NAME = re.compile(r"(status|state|current|outcome|action|kind|event|attempted)$")

Piece = tuple[str | None, ast.expr | None]  # literal text, or an interpolated expression


def _format_pieces(call: ast.Call) -> list[Piece]:
    assert isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Constant)
    args = iter(call.args)
    out: list[Piece] = []
    for part in re.split(r"(\{[^{}]*\})", str(call.func.value.value)):
        if part.startswith("{") and part.endswith("}"):
            out.append((None, next(args, None)))
        elif part:
            out.append((part, None))
    return out


def _templates(tree: ast.AST) -> Iterator[tuple[int, list[Piece]]]:
    inner: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
        ):
            inner.add(id(node.func.value))
            yield node.lineno, _format_pieces(node)
        elif isinstance(node, ast.JoinedStr):
            inner.update(id(v) for v in node.values)
            pieces: list[Piece] = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    pieces.append((str(v.value), None))
                elif isinstance(v, ast.FormattedValue):
                    pieces.append((None, v.value))
            yield node.lineno, pieces
    for node in ast.walk(tree):  # docstrings and other bare strings are not texts shown
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inner:
            yield node.lineno, [(node.value, None)]


def _halves(pieces: list[Piece]) -> tuple[list[Piece], list[Piece]] | None:
    """The Chinese and English halves of a bilingual template, or None if it is not one."""
    for i, (text, _expr) in enumerate(pieces):
        if text is not None and SEP in text:
            head, tail = text.split(SEP, 1)
            zh = [*pieces[:i], (head, None)]
            if not any(t is not None and HAN.search(t) for t, _ in zh):
                return None
            return zh, [(tail, None), *pieces[i + 1 :]]
    return None


def _code_value(expr: ast.expr | None) -> str | None:
    """The name of an interpolated status or action code (`{app.status}`, `{kind}`,
    `{str(exc.current)}`); a lookup or call that translates it is not one."""
    while (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id
        in (
            "str",
            "repr",
        )
    ):
        expr = expr.args[0] if expr.args else None
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", None)
    if isinstance(expr, ast.Name | ast.Attribute) and name and _CODE_NAME.search(name.lower()):
        return ast.unparse(expr)
    return None


def mixed(zh: str, en: str) -> list[str]:
    """What mixes the languages in a detail's halves (nothing: one language each)."""
    found = [f"status code {w!r} in the Chinese half" for w in _WORD.findall(zh) if w in VOCABULARY]
    if not HAN.search(zh):
        found.append("no Chinese in the Chinese half")
    if HAN.search(en):
        found.append("Chinese in the English half")
    if not re.search(r"[A-Za-z]", en):
        found.append("no English in the English half")
    return found


def source_findings() -> list[str]:
    found: list[str] = []
    for root in SOURCES:
        for path in sorted((ROOT / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = path.relative_to(ROOT)
            for line, pieces in _templates(tree):
                halves = _halves(pieces)
                if halves is None:
                    continue
                zh, en = halves
                text = "".join(t for t, _ in zh if t is not None)
                found += [
                    f"{where}:{line}: status code {w!r} in the Chinese half"
                    for w in _WORD.findall(text)
                    if w in VOCABULARY
                ]
                found += [
                    f"{where}:{line}: code {{{code}}} in the Chinese half"
                    for _, e in zh
                    if (code := _code_value(e))
                ]
                english = "".join(t for t, _ in en if t is not None)
                if HAN.search(english):
                    found.append(f"{where}:{line}: Chinese in the English half")
    return found


def test_no_bilingual_text_in_the_source_mixes_its_languages() -> None:
    found = source_findings()
    assert not found, "\n".join(found)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The walk itself: it flags the two forms the issue names and passes a good one."""
    sample = ast.parse(
        'a = f"当前状态为 {app.status} / status {app.status}"\n'
        'b = "该申请已{} / already {}".format(app.status, app.status)\n'
        'c = "该申请已approved / already approved"\n'
        'd = f"办件当前状态为「{zh}」 / not allowed in status {app.status}"\n'
    )
    verdicts = {}
    for line, pieces in _templates(sample):
        halves = _halves(pieces)
        assert halves is not None
        zh = halves[0]
        text = "".join(t for t, _ in zh if t is not None)
        bad = [w for w in _WORD.findall(text) if w in VOCABULARY]
        bad += [c for _, e in zh if (c := _code_value(e))]
        verdicts[line] = bool(bad)
    assert verdicts == {1: True, 2: True, 3: True, 4: False}


def _split(detail: str) -> tuple[str, str]:
    assert SEP in detail, detail
    zh, en = detail.split(SEP, 1)
    return zh, en


def _runtime_details() -> Iterator[tuple[str, str]]:
    """(where, detail) for the details built at run time."""
    for status, event in itertools.product(Status, EventType):
        try:
            next_status_for_event(status, event, {"outcome": "success"})
        except InvalidTransition as exc:
            yield f"event {event} in {status}", wrong_state(exc).detail
    for status, kind in itertools.product(Status, ReferralKind):
        try:
            status_for_referral_request(status, kind, True)
        except InvalidTransition as exc:
            yield f"referral {kind} in {status}", wrong_state(exc).detail
    refusals: list[NotAllowed] = []
    for call in (
        lambda: next_status_for_event(Status.ACCEPTED, EventType.CLOSED, {"outcome": "x"}),
        lambda: status_for_referral_request(Status.CLOSED_FAILURE, ReferralKind.ARBITRATION, False),
        *(
            (lambda kind=kind: status_for_referral_result(kind, "x"))  # type: ignore[misc]
            for kind in ReferralKind
        ),
    ):
        with pytest.raises(NotAllowed) as caught:
            call()
        refusals.append(caught.value)
    for refusal in refusals:
        yield f"refusal at {refusal.pointer}", str(refusal)
    several = Invalid([Violation("/a", "必填 / required"), Violation("/b", "须为整数 / integer")])
    yield "several violations", several.detail
    yield "throttled", Throttled(30).detail
    for status in problems.TITLES:
        body = problems.problem(status).body
        yield f"problem {status}", __import__("json").loads(bytes(body))["detail"]
    for route in _collect_routes():
        if isinstance(route, DeclaredRoute):
            for param in route.operation.params:
                if param.where == "query":
                    yield f"{route.operation.operation_id}?{param.name}", _expected(param.schema)


@pytest.mark.parametrize("where,detail", list(_runtime_details()))
def test_every_detail_built_at_run_time_gives_each_language_once(where: str, detail: str) -> None:
    found = mixed(*_split(detail))
    assert not found, (where, detail, found)
