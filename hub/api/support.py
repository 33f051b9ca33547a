"""What every handler needs: the caller, a bounded and validated JSON body, a transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

import schemas
from hub import jsonutil
from hub.api.bearer import STATE_KEY, bearer_token
from hub.api.errors import HttpProblem
from hub.api.token_cache import TokenCache
from hub.domain import dates
from hub.services import idempotency, throttle
from hub.services.context import HubContext
from hub.services.errors import Violation
from hub.services.idempotency import Answer, request_hash
from hub.services.principal import Principal, Role
from hub.store.unit_of_work import UnitOfWork
from schemas import text

T = TypeVar("T")


#: The roles in words, for refusals (INTERFACE 1).
ROLE_TEXT: dict[str, str] = {
    Role.PORTAL: "门户",
    Role.INSTITUTION: "解纷机构",
    Role.UNIT: "办事单位",
    Role.COURT: "法院",
    Role.ARBITRATION: "仲裁机构",
    Role.DATABUREAU: "数据局",
    Role.ADMIN: "管理员",
}


def hub_ctx(request: Request) -> HubContext:
    ctx: HubContext = request.app.state.ctx
    return ctx


def authenticate(request: Request, *roles: Role) -> Principal:
    """The caller, as `BearerLookup` resolved it off the event loop (hub.api.bearer)."""
    token = bearer_token(request.headers.get("authorization", ""))
    if token is None:
        raise HttpProblem(401, "需要 Authorization: Bearer <token> / bearer token required")
    found = getattr(request.state, STATE_KEY, None)
    if found is not None and found[0] == token:
        answer = found[1]
    else:  # an app built without the middleware (never in hub serve)
        cache: TokenCache = request.app.state.tokens
        answer = cache.authenticate(token)
    if isinstance(answer, Exception):
        raise answer
    principal: Principal | None = answer
    if principal is None:
        raise HttpProblem(401, "凭证无效或已吊销 / invalid or revoked token")
    # The data bureau reaches only the routes that name it (the masked and shared ones):
    # a route open to "any token" checks parties' rights, which say nothing of it.
    if (roles and principal.role not in roles) or (not roles and principal.role is Role.DATABUREAU):
        zh = ROLE_TEXT.get(principal.role, "该角色")
        raise HttpProblem(403, f"{zh}无权调用此接口 / role {principal.role} may not call this")
    return principal


async def read_body(request: Request) -> bytes:
    limit: int = hub_ctx(request).settings.max_body_bytes
    declared = text.ascii_int(request.headers.get("content-length") or "")
    if declared is not None and declared > limit:
        raise HttpProblem(413, f"请求体超过 {limit} 字节 / body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HttpProblem(413, f"请求体超过 {limit} 字节 / body over {limit} bytes")
            chunks.append(chunk)
    except ClientDisconnect:  # gone, or closed by the hub for stalling (hub.arrival_limits)
        raise HttpProblem(408, "请求体未按时到达 / the request body did not arrive") from None
    return b"".join(chunks)


def decode_json(raw: bytes) -> Any:
    """The one decoder of JSON request bodies: UTF-8, JSON, bounded nesting (an empty body
    is `{}`). What it parses still goes through `schemas.validate` or `schemaless_body`."""
    if not raw.strip():
        return {}
    try:
        return text.loads_json(raw.decode("utf-8"))
    except text.LongInteger as exc:  # valid JSON, but no field holds such a number
        raise _refuse([(exc.pointer, text.LONG_INTEGER_MESSAGE)]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HttpProblem(
            400,
            f"无法解析 JSON / cannot parse JSON: {exc.__class__.__name__}",
            [Violation("", "请求体不是合法的 UTF-8 JSON / the body is not UTF-8 JSON")],
        ) from None
    except RecursionError:  # nested past the parser's stack; schemas.text refuses far less
        raise HttpProblem(
            400,
            "JSON 嵌套过深 / JSON nested too deep",
            [Violation("", text.DEPTH_MESSAGE)],
        ) from None


def _refuse(errors: Sequence[tuple[str, str]] | Sequence[schemas.FieldError]) -> HttpProblem:
    violations = [
        Violation(e[0], e[1]) if isinstance(e, tuple) else Violation(e.pointer, e.message)
        for e in errors
    ]
    return HttpProblem(422, "请求内容未通过校验 / validation failed", violations)


async def schemaless_body(request: Request) -> tuple[Any, bytes]:
    """A JSON body that has no schema (the handler checks its few members), with the
    storable-text and depth rules of `schemas.text` applied as `schemas.validate` does."""
    raw = await read_body(request)
    body = decode_json(raw)
    unstorable = text.unstorable(body)
    if unstorable:
        raise _refuse(unstorable)
    return body, raw


async def json_body(
    request: Request, schema: str | dict[str, Any] | None = None
) -> tuple[dict[str, Any], bytes]:
    """The body, parsed and valid against `schemas/<schema>.schema.json` (by default the
    body the route declares, hub.api.declare), or inline JSON Schema; else a problem."""
    if schema is None:
        op = getattr(request.state, "operation", None)
        schema = op.body if op is not None else None
        if schema is None:
            raise TypeError("json_body: the route declares no body")
    if not isinstance(schema, str):
        body, raw = await schemaless_body(request)
        inline = _inline_errors(schema, body)
        if inline:
            raise _refuse(inline)
        return body, raw
    raw = await read_body(request)
    ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if ctype and not (ctype == "application/json" or ctype.endswith("+json")):
        raise HttpProblem(415, "请使用 Content-Type: application/json / use application/json")
    body = decode_json(raw)
    # the storable-text walk only when the raw text does not prove it (schemas.text)
    errors = schemas.validate(schema, body, storable=text.storable_json(raw))
    flagged = {e.pointer for e in errors}
    ctx = hub_ctx(request)
    errors += [  # dates outside what can be true (hub.domain.dates)
        schemas.FieldError(pointer, message)
        for pointer, message in dates.body_problems(
            schema, body, ctx.clock.now(), ctx.settings.dates
        )
        if pointer not in flagged
    ]
    if errors:
        raise _refuse(errors)
    return body, raw


def _inline_errors(schema: dict[str, Any], body: object) -> list[schemas.FieldError]:
    """Errors of a body against a route's inline schema, one per pointer."""
    found: dict[str, schemas.FieldError] = {}
    for error in Draft202012Validator(schema).iter_errors(body):
        pointer = "".join(f"/{part}" for part in error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            pointer += f"/{extra[0]}" if extra else ""
            message = "不允许的字段 / unknown field not allowed"
        elif error.validator == "required":
            missing = [n for n in error.validator_value if n not in error.instance]
            pointer += f"/{missing[0]}" if missing else ""
            message = "必填字段缺失 / required field missing"
        else:
            message = "取值不符合要求 / value not allowed"
        found.setdefault(pointer, schemas.FieldError(pointer, message))
    return list(found.values())


def choice_param(request: Request, name: str, allowed: Iterable[str]) -> str | None:
    """A query filter from a code list: absent or empty is None, an unknown value is 422
    (a filter that silently matches nothing reads as "there are none")."""
    value = request.query_params.get(name) or None
    choices = tuple(allowed)
    if value is not None and value not in choices:
        raise HttpProblem(
            422,
            f"{name}: 未知取值 / unknown value",
            [Violation(f"/query/{name}", text.one_of_message(choices))],
        )
    return value


def json_response(body: Any, status: int = 200) -> Response:
    return Response(jsonutil.dumps(body), status_code=status, media_type="application/json")


async def in_transaction(request: Request, work: Callable[[UnitOfWork], T]) -> T:
    ctx = hub_ctx(request)

    return await run_in_threadpool(ctx.db.run, work)


async def in_read(request: Request, work: Callable[[Session], T]) -> T:
    ctx = hub_ctx(request)

    def run() -> T:
        with ctx.db.read() as session:
            return work(session)

    return await run_in_threadpool(run)


async def in_replica_read(request: Request, work: Callable[[Session], T]) -> T:
    """`in_read` for the heavy reads that may lag the last commits a little (statistics,
    alerts, case lists): on the standby of HUB_DATABASE_READ_URL when there is one."""
    ctx = hub_ctx(request)

    def run() -> T:
        with ctx.db.replica_read() as session:
            return work(session)

    return await run_in_threadpool(run)


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not (0 < len(key) <= 200 and not text.has_control(key)):
        raise HttpProblem(
            422,
            "Idempotency-Key 须为 1-200 个可见字符 / key: 1-200 visible characters",
            [
                Violation(
                    "/headers/Idempotency-Key", "须为 1-200 个可见字符 / 1-200 visible characters"
                )
            ],
        )
    return key


def run_idempotent(
    ctx: HubContext,
    principal: Principal,
    key: str | None,
    digest: str,
    work: Callable[[UnitOfWork], Any],
    status: int = 201,
) -> Answer:
    """A creating request in one unit of work (again after a PostgreSQL deadlock), under
    its Idempotency-Key (hub.services.idempotency); the API's POSTs and the pages' actions."""
    try:
        return ctx.db.run(
            lambda uow: idempotency.answer_once(ctx, uow, principal, key, digest, work, status)
        )
    except IntegrityError:
        if not key:
            raise
    # A concurrent request with the same key won the race: answer what it stored.
    return idempotency.winner(ctx, principal, key, digest)


async def creating(
    request: Request,
    principal: Principal,
    raw: bytes,
    work: Callable[[Session], dict[str, Any]],
    status: int = 201,
) -> Response:
    """Run a creating POST in one transaction, honouring `Idempotency-Key`."""
    key = idempotency_key(request)
    digest = request_hash(request.method, request.url.path, raw)
    ctx = hub_ctx(request)

    answer = await run_in_threadpool(run_idempotent, ctx, principal, key, digest, work, status)
    return Response(answer.body, status_code=answer.status, media_type="application/json")


def client_address(request: Request) -> str | None:
    """The client's address as the server saw it (behind a proxy listed in
    HUB_TRUSTED_PROXIES, the address that proxy forwarded)."""
    return request.client.host if request.client else None


async def guarded_lookup(
    request: Request, subject: str, lookup: Callable[[Session], T | None]
) -> T | None:
    """A public look-up by number and code, throttled per client and number (INTERFACE 18):
    the guess is counted before the code is checked, a right answer (`lookup` answers
    something) gives it back, a wrong one (`None`, or `NotFound` raised) stays counted.
    Raises `Throttled`."""
    ctx = hub_ctx(request)
    address = client_address(request)
    # The guess is committed in a transaction of its own before the code is read, so that
    # it stays counted whatever the look-up does; giving it back is a third one.
    reservation = await in_transaction(
        request, lambda s: throttle.reserve_guess(ctx, s, address, subject)
    )
    found = await in_read(request, lookup)  # NotFound: a wrong guess, counted
    if found is not None:
        await in_transaction(request, lambda s: throttle.settle(s, reservation, right=True))
    return found
