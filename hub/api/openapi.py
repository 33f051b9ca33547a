"""The served OpenAPI 3.1 document, built from the routes' declarations (hub.api.declare):
operationIds, tags, roles, parameters, bodies from `schemas/`, answers from
`hub.api.shapes`, and every problem as the one `Problem` schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hub.api.declare import DeclaredRoute, Operation
from hub.api.problems import TITLES
from hub.api.shapes import SHAPES
from hub.api.shapes.base import body_schema

TAGS: dict[str, str] = {
    "applications": "办件 Applications (INTERFACE 4-5)",
    "referrals": "转介 Hand-offs to courts and commissions (INTERFACE 7)",
    "documents": "卷宗与送达 Case files and service of documents (INTERFACE 15)",
    "registry": "名录 The registry and its governance (INTERFACE 3, 10, 17)",
    "delivery": "投递 The pull feed and dead letters (INTERFACE 8)",
    "operations": "运营 Statistics, alerts, complaints, help (INTERFACE 10)",
    "workorders": "工单 Work orders (INTERFACE 14)",
    "sharing": "数据共享 The data bureau (INTERFACE 9, 9a, 17)",
    "calendar": "工作日 The working-day calendar (INTERFACE 16)",
    "health": "运行状态 Health and metrics (INTERFACE 1)",
}


def component_name(schema_name: str) -> str:
    """`institution_event` -> `InstitutionEvent`: the name a generated client's model gets."""
    return "".join(part.capitalize() for part in schema_name.split("_"))


def _roles_text(op: Operation) -> str:
    if op.roles is None:
        return "公开 public" + (" (a token shows more)" if op.token_optional else "")
    if not op.roles:
        return "任何持凭证的调用方 any caller with a token (the parties entitled)"
    return ", ".join(str(r) for r in op.roles)


def _problem(status: int) -> dict[str, Any]:
    _slug, zh, en = TITLES.get(status, ("error", "错误", "Error"))
    return {
        "description": f"{zh} {en}",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _operation(op: Operation, used: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": "\n\n".join(
            x for x in (op.description, f"Roles 角色: {_roles_text(op)}.") if x
        ),
        "x-roles": [str(r) for r in op.roles] if op.roles else [],
    }
    params = [
        {
            "name": p.name,
            "in": p.where,
            "required": p.required,
            "schema": p.schema,
            **({"description": p.description} if p.description else {}),
        }
        for p in op.params
    ]
    if op.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A repeat with the same key and body answers the first answer",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            }
        )
    if params:
        out["parameters"] = params
    if op.roles is not None:
        out["security"] = [{"bearer": []}, {}] if op.token_optional else [{"bearer": []}]
    else:
        out["security"] = []
    if op.body is not None:
        if isinstance(op.body, str):
            used.add(op.body)
            body: dict[str, Any] = {"$ref": f"#/components/schemas/{component_name(op.body)}"}
        else:
            body = op.body
        out["requestBody"] = {
            "required": op.body_required,
            "content": {op.body_media_type: {"schema": body}},
        }
    responses: dict[str, Any] = {}
    for answer in op.answers:
        entry: dict[str, Any] = {"description": answer.description}
        if answer.schema is not None or answer.media_type != "application/json":
            entry["content"] = {answer.media_type: {"schema": answer.schema or {"type": "string"}}}
        responses[str(answer.status)] = entry
    for status in op.problem_statuses():
        responses.setdefault(str(status), _problem(status))
    out["responses"] = responses
    return out


def document(routes: Iterable[object]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    seen: set[str] = set()
    for route in routes:
        if not isinstance(route, DeclaredRoute):
            continue  # the web pages (HTML) are not part of the API
        op = route.operation
        if op.operation_id in seen:
            raise ValueError(f"operationId {op.operation_id} declared twice")
        seen.add(op.operation_id)
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, used)
    components = {component_name(name): body_schema(name) for name in sorted(used)}
    clash = set(components) & set(SHAPES)
    if clash:  # an answer and a body of one name: one would silently replace the other
        raise ValueError(f"schema names used for a body and an answer: {sorted(clash)}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": 'OneMatter hub 解纷"一件事" docking standard',
            "version": "1.1.0",
            "description": (
                "INTERFACE v1.1. Errors are application/problem+json (RFC 9457), `detail` in "
                "Chinese, then ` / `, then English; validation errors carry JSON pointers."
            ),
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {**SHAPES, **components},
        },
    }
