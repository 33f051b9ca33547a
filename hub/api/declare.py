"""Each route's contract, declared once next to its handler: who may call it, its
parameters, its body and its answers (Starlette's `@requires`, grown to carry the rest).

The route built from an `Operation` checks the caller's role and the declared query
parameters before the handler runs, `json_body` validates against the declared body, and
`hub.api.openapi` builds `/openapi.json` from the same objects, so the document cannot
drift from what the routes do.

    @operation(
        "POST", "/v1/applications/{no}/withdraw", "withdrawApplication", tag="applications",
        summary="撤回 Withdraw", roles=(Role.PORTAL,), body="withdraw",
        answers=(Answer(200, "撤回后的状态 The status after withdrawal", ref("EventRecorded")),),
    )
    async def withdraw(request: Request) -> Response: ...
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from jsonschema import Draft202012Validator
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.errors import HttpProblem
from hub.api.support import authenticate
from hub.logsafety import bound
from hub.services.casework import canonical_no
from hub.services.errors import Invalid, Violation
from hub.services.principal import Principal, Role
from schemas.text import integer_message, one_of_message

Handler = Callable[[Request], Awaitable[Response]]

#: Anyone, no token (the public look-ups, the directory, health).
PUBLIC: tuple[Role, ...] | None = None
#: Any caller with a valid token; the handler narrows it to the parties entitled.
ANY_ROLE: tuple[Role, ...] = ()


def ref(name: str) -> dict[str, Any]:
    """A reference to a schema of `components/schemas` (hub.api.shapes or schemas/)."""
    return {"$ref": f"#/components/schemas/{name}"}


@dataclass(frozen=True)
class Param:
    """A query, path or header parameter; `schema` is JSON Schema for its value."""

    name: str
    where: Literal["query", "path", "header"] = "query"
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""


def query(name: str, description: str = "", **schema: Any) -> Param:
    return Param(name, "query", schema or {"type": "string"}, False, description)


def path(name: str, description: str = "", **schema: Any) -> Param:
    return Param(name, "path", schema or {"type": "string"}, True, description)


@dataclass(frozen=True)
class Answer:
    """One documented answer: its status, what it means, and the schema of its body."""

    status: int
    description: str
    schema: dict[str, Any] | None = None
    media_type: str = "application/json"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    tag: str
    summary: str
    #: None: public; (): any token; otherwise the roles allowed (403 for the others).
    roles: tuple[Role, ...] | None
    answers: tuple[Answer, ...]
    params: tuple[Param, ...] = ()
    #: The request body: a schema name of `schemas/`, or inline JSON Schema.
    body: str | dict[str, Any] | None = None
    body_required: bool = True
    body_media_type: str = "application/json"
    #: Accepts `Idempotency-Key` (INTERFACE 1: every POST that creates something).
    idempotent: bool = False
    #: The problems this operation answers besides the ones every route may (400/401/...).
    problems: tuple[int, ...] = ()
    description: str = ""
    #: With a token the roles are checked; without one the route is public (e.g. a help
    #: article: published ones for everyone, every version for its keepers).
    token_optional: bool = False

    def problem_statuses(self) -> list[int]:
        found = set(self.problems)
        if self.roles is not None:  # any-token routes refuse some roles too (databureau: 403)
            found |= {401, 403}
        if self.body is not None:  # 408: a body that stalls (hub.arrival_limits)
            found |= {400, 408, 413, 415, 422}
        if any(p.where == "query" for p in self.params):
            found.add(422)
        if self.idempotent:
            found.add(409)
        return sorted(found)


def _coerce(value: str, schema: dict[str, Any]) -> object:
    """A query string's text as the JSON value its schema describes (or the text, which
    then fails the schema with a pointer)."""
    kind = schema.get("type")
    if kind == "integer":
        text = value.strip()
        if not (text.lstrip("-").isdigit() and text.isascii()):
            return value
        try:
            return int(text)
        except ValueError:  # more digits than int() converts: the text, refused as such
            return value
    if kind == "boolean":
        lowered = value.lower()
        return {"true": True, "1": True, "false": False, "0": False}.get(lowered, value)
    return value


@functools.cache
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json))


def _query_errors(op: Operation, request: Request) -> list[Violation]:
    errors: list[Violation] = []
    for param in op.params:
        if param.where != "query":
            continue
        raw = request.query_params.get(param.name)
        if raw is None or raw == "":  # empty means absent, as the services read it
            continue
        schema = param.schema
        validator = _validator(json.dumps(schema, sort_keys=True))
        value = _coerce(raw, schema)
        if not validator.is_valid(value):
            errors.append(Violation(f"/query/{param.name}", _expected(schema)))
    return errors


def _expected(schema: dict[str, Any]) -> str:
    """What the value must be, in Chinese and then English."""
    if "enum" in schema:  # the values are codes (statuses...): listed in the English half
        return one_of_message(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        return integer_message(schema.get("minimum"), schema.get("maximum"))
    if kind == "boolean":
        return "须为 true 或 false / true or false"
    if "maxLength" in schema:
        return f"不超过 {schema['maxLength']} 个字符 / up to {schema['maxLength']} characters"
    return "格式不符 / not in the expected form"


def caller(request: Request) -> Principal:
    """The principal the route's declaration authenticated."""
    principal: Principal = request.state.principal
    return principal


def _case_no(request: Request) -> str | None:
    raw = request.path_params.get("no")
    if raw is None or not request.url.path.startswith("/v1/applications/"):
        return None  # `no` of a complaint or a work order is not an application number
    try:
        return canonical_no(raw)
    except Invalid:  # the handler answers it with its 422
        return None


class DeclaredRoute(Route):
    """A Starlette route that carries its `Operation` for the OpenAPI document."""

    def __init__(self, op: Operation, handler: Handler) -> None:
        self.operation = op
        self.handler = handler

        async def checked(request: Request) -> Response:
            request.state.operation = op
            request.state.principal = None
            if op.roles is not None and not (
                op.token_optional and "authorization" not in request.headers
            ):
                request.state.principal = authenticate(request, *op.roles)
            errors = _query_errors(op, request)
            if errors:
                raise HttpProblem(422, "查询参数未通过校验 / invalid query parameters", errors)
            principal = request.state.principal
            with bound(  # every line of the request names the case and the caller
                application_no=_case_no(request),
                party=(principal.party or str(principal.role)) if principal else None,
                operation=op.operation_id,
            ):
                return await handler(request)

        functools.update_wrapper(checked, handler)
        super().__init__(op.path, checked, methods=[op.method])


def operation(
    method: str,
    route_path: str,
    operation_id: str,
    *,
    tag: str,
    summary: str,
    roles: tuple[Role, ...] | None,
    answers: Sequence[Answer],
    params: Sequence[Param] = (),
    body: str | dict[str, Any] | None = None,
    body_required: bool = True,
    body_media_type: str = "application/json",
    idempotent: bool = False,
    problems: Sequence[int] = (),
    description: str = "",
    token_optional: bool = False,
) -> Callable[[Handler], DeclaredRoute]:
    """Declare a handler's contract; answers the route to list in the module's `routes`."""
    path_params = tuple(
        path(name) for name in _path_names(route_path) if name not in {p.name for p in params}
    )
    op = Operation(
        method=method.upper(),
        path=route_path,
        operation_id=operation_id,
        tag=tag,
        summary=summary,
        roles=roles,
        answers=tuple(answers),
        params=(*path_params, *params),
        body=body,
        body_required=body_required,
        body_media_type=body_media_type,
        idempotent=idempotent,
        problems=tuple(problems),
        description=description,
        token_optional=token_optional,
    )

    def wrap(handler: Handler) -> DeclaredRoute:
        return DeclaredRoute(op, handler)

    return wrap


def _path_names(route_path: str) -> list[str]:
    names = []
    for part in route_path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            names.append(part[1:-1].split(":")[0])
    return names
