"""The served OpenAPI 3.1 document: paths of INTERFACE v1, bodies from `schemas/`."""

from __future__ import annotations

from typing import Any

import schemas

_PROBLEM = {"$ref": "#/components/responses/Problem"}

#: path -> method -> (summary, request schema or None, roles)
_OPERATIONS: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "/v1/applications": {
        "post": ("提交办件 Submit an application", "application", "portal, institution (window)"),
        "get": ("办件列表 List applications (status, institution, overdue)", None, "unit, admin"),
    },
    "/v1/applications/{no}": {"get": ("办件详情 The whole record", None, "entitled parties")},
    "/v1/status/{no}": {"get": ("公开进度查询 Public status by query code", None, "public")},
    "/v1/applications/{no}/events": {
        "post": ("机构事件 Institution event", "institution_event", "institution")
    },
    "/v1/applications/{no}/withdraw": {"post": ("撤回 Withdraw", "withdraw", "portal")},
    "/v1/applications/{no}/dispatch": {
        "post": ("人工分派 Dispatch by hand", "dispatch", "unit (own institutions), sfj, admin")
    },
    "/v1/applications/{no}/dunning": {
        "post": ("催办 Press the institution about an overdue case", "dunning", "unit, sfj, admin")
    },
    "/v1/applications/{no}/referrals": {
        "post": ("转介 Request a referral", "referral_request", "institution")
    },
    "/v1/applications/{no}/attachments/{index}": {
        "get": (
            "下载附件 Download an attachment (sha256 checked, audited)",
            None,
            "entitled parties",
        )
    },
    "/v1/applications/{no}/documents": {
        "post": ("送达文书 Serve a document on the parties", "document", "institution")
    },
    "/v1/documents/{id}": {
        "get": ("文书内容 A served document's bytes", None, "portal, institution, admin")
    },
    "/v1/documents/{id}/receipt": {
        "post": ("签收 The party opened the document", "document_receipt", "portal")
    },
    "/v1/referrals": {"get": ("转介列表 Own referrals", None, "court, arbitration")},
    "/v1/referrals/{id}/result": {
        "post": ("转介结果 Post a result", "referral_result", "court, arbitration")
    },
    "/v1/institutions": {"get": ("机构名录 Directory", None, "public")},
    "/v1/feed": {"get": ("拉取消息 Pull feed (long poll)", None, "any party")},
    "/healthz": {"get": ("存活 Liveness", None, "public")},
    "/readyz": {"get": ("就绪 Readiness", None, "public")},
    "/metrics": {"get": ("指标 Prometheus metrics", None, "public")},
}


def _parameters(path: str) -> list[dict[str, Any]]:
    params = []
    for name in ("no", "id", "year", "index"):
        if "{" + name + "}" in path:
            params.append(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            )
    return params


def document(
    additional: dict[str, dict[str, tuple[str, str | None, str]]] | None = None,
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    used: set[str] = set()
    ops = {**_OPERATIONS}
    for path, methods in (additional or {}).items():
        ops.setdefault(path, {}).update(methods)
    for path, methods in ops.items():
        item: dict[str, Any] = {}
        for method, (summary, body, roles) in methods.items():
            op: dict[str, Any] = {
                "summary": summary,
                "description": f"Roles: {roles}.",
                "parameters": _parameters(path),
                "responses": {"200": {"description": "OK"}, "4XX": _PROBLEM},
            }
            if roles != "public":
                op["security"] = [{"bearer": []}]
            if body:
                used.add(body)
                op["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}
                    },
                }
                op["parameters"].append(
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200},
                    }
                )
            item[method] = op
        paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": 'OneMatter hub 解纷"一件事" docking standard',
            "version": "1.0.0",
            "description": "INTERFACE v1. Errors are application/problem+json (RFC 9457).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {name: schemas.schema_document(name) for name in sorted(used)},
            "responses": {
                "Problem": {
                    "description": "problem+json",
                    "content": {"application/problem+json": {"schema": {"type": "object"}}},
                }
            },
        },
    }
