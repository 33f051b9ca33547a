"""`/web/console/help`: the FAQ knowledge base (Art. 14) as its keepers see it: search,
add, edit (every version kept) and retire articles; a unit changes the articles it wrote,
an admin any. `ops.helpdesk`, as `POST/PUT /v1/help/articles` and `/retire`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.ops import helpdesk
from hub.services.errors import ServiceError
from hub.web import pages
from hub.web.console.common import (
    Operator,
    act,
    console_page,
    form_action,
    page,
)
from schemas.codes import CATEGORIES

TEXT_FIELDS = ("title", "body", "title_en", "body_en")
FIELDS = {f"/{k}": k for k in (*TEXT_FIELDS, "category", "tags")}
FIELDS.update({f"/tags/{i}": "tags" for i in range(20)})


def _body(form: dict[str, str]) -> dict[str, Any]:
    """The API's article body from the form: empty optional fields left out, tags split on
    commas (either width)."""
    body: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value or name in ("title", "body"):
            body[name] = value
    if form.get("category"):
        body["category"] = form["category"]
    tags = [t.strip() for t in form.get("tags", "").replace("，", ",").split(",")]
    if any(tags):
        body["tags"] = list(dict.fromkeys(t for t in tags if t))
    return body


async def _list(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    q = request.query_params.get("q", "")[: helpdesk.MAX_QUERY]
    found = await pages.read(request, lambda s: helpdesk.search(s, q, limit=100))
    return page(
        request,
        op,
        "console/help.html",
        status,
        q=q,
        results=found["results"],
        categories=list(CATEGORIES),
        **context,
    )


@console_page()
async def listing(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    done = request.query_params.get("done")
    flash = t(f"c_help_{done}") if done in ("added", "edited", "retired") else None
    return await _list(request, op, flash=flash)


@form_action()
async def add(request: Request, op: Operator, form: dict[str, str]) -> Response:
    ctx = pages.ctx_of(request)
    body = _body(form)
    refused = await act(
        request,
        op,
        form,
        "help-add",
        body,
        lambda s: helpdesk.add_article(ctx, s, op.principal, body),
        FIELDS,
        _list,
        schema="help_article",
    )
    return refused or pages.redirect("/web/console/help?done=added")


async def _article_page(
    request: Request, op: Operator, status: int = 200, **context: Any
) -> Response:
    t = pages.texts(request)
    raw_id = request.path_params["id"]
    try:
        found = await pages.read(request, lambda s: helpdesk.article(s, raw_id, with_history=True))
    except ServiceError:
        return page(request, op, "console/message.html", 404, error=t("c_no_article"))
    mine = op.admin or found["author"] == op.principal.party
    shown = context.pop("form", None) or {
        **{k: found.get(k) or "" for k in TEXT_FIELDS},
        "category": found.get("category") or "",
        "tags": ", ".join(found.get("tags") or []),
    }
    return page(
        request,
        op,
        "console/help_article.html",
        status,
        article=found,
        mine=mine,
        form=shown,
        categories=list(CATEGORIES),
        **context,
    )


@console_page()
async def article_page(request: Request, op: Operator) -> Response:
    return await _article_page(request, op)


@form_action()
async def edit(request: Request, op: Operator, form: dict[str, str]) -> Response:
    ctx = pages.ctx_of(request)
    raw_id = request.path_params["id"]
    body = _body(form)
    refused = await act(
        request,
        op,
        form,
        f"help-edit:{raw_id}",
        body,
        lambda s: helpdesk.edit_article(ctx, s, op.principal, raw_id, body),
        FIELDS,
        _article_page,
        schema="help_article",
    )
    return refused or pages.redirect("/web/console/help?" + urlencode({"done": "edited"}))


@form_action()
async def retire(request: Request, op: Operator, form: dict[str, str]) -> Response:
    ctx = pages.ctx_of(request)
    raw_id = request.path_params["id"]
    refused = await act(
        request,
        op,
        form,
        f"help-retire:{raw_id}",
        {"id": raw_id},
        lambda s: helpdesk.retire_article(ctx, s, op.principal, raw_id),
        FIELDS,
        _article_page,
    )
    return refused or pages.redirect("/web/console/help?done=retired")


routes = [
    Route("/web/console/help", listing, methods=["GET"]),
    Route("/web/console/help", add, methods=["POST"]),
    Route("/web/console/help/{id}", article_page, methods=["GET"]),
    Route("/web/console/help/{id}", edit, methods=["POST"]),
    Route("/web/console/help/{id}/retire", retire, methods=["POST"]),
]
