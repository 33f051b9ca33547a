"""The Starlette application: routes from each topic module, errors as problem+json."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.api import openapi
from hub.api.bearer import BearerLookup
from hub.api.declare import PUBLIC, Answer, operation
from hub.api.errors import (
    HttpProblem,
    on_domain_error,
    on_http_problem,
    on_service_error,
    on_unexpected,
)
from hub.api.intake_batch import IntakeBatcher
from hub.api.problems import problem
from hub.api.request_metrics import RequestMetrics
from hub.api.response_headers import NoSniff
from hub.api.support import json_response
from hub.api.token_cache import TokenCache
from hub.api.url_guard import RefuseControlCharacters
from hub.domain.errors import DomainError
from hub.optional import optional_module
from hub.services.context import HubContext
from hub.services.errors import ServiceError

#: Topic modules, each with `routes`; optional ones are skipped until they exist.
ROUTE_MODULES = (
    "hub.api.routes_health",
    "hub.api.routes_applications",
    "hub.api.routes_referrals",
    "hub.api.routes_registry",
    "hub.api.routes_calendar",
    "hub.api.routes_feed",
    "hub.api.routes_deadletters",
    "hub.api.routes_operations",
    "hub.api.routes_workorders",
    "hub.api.routes_shared",
    "hub.api.routes_import",
    "hub.web.routes",
)


def _collect_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for name in ROUTE_MODULES:
        module = optional_module(name)
        if module is None:
            continue
        routes.extend(module.routes)
    return routes


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, str(exc.detail) if exc.detail else "", request=request)
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (one path may have several routes)."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            methods |= route.methods
    return sorted(methods)


def create_app(ctx: HubContext) -> Starlette:
    routes = _collect_routes()

    @operation(
        "GET",
        "/openapi.json",
        "getOpenApiDocument",
        tag="health",
        summary="接口文档 This OpenAPI 3.1 document",
        roles=PUBLIC,
        answers=(Answer(200, "OpenAPI 3.1", {"type": "object"}),),
    )
    async def openapi_json(request: Request) -> Response:
        return json_response(spec)

    routes.append(openapi_json)
    spec = openapi.document(routes)

    intake = IntakeBatcher(
        ctx,
        max_batch=ctx.settings.intake.max_batch,
        linger=ctx.settings.intake.linger_seconds,
    )

    tokens = TokenCache(ctx)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        intake.stop()  # finish the batch in hand, then let the thread go
        tokens.close()  # the last uses seen by this process

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        # outermost first: requests refused for control characters are counted too
        middleware=[
            Middleware(RequestMetrics),
            Middleware(NoSniff),
            Middleware(RefuseControlCharacters),
            Middleware(BearerLookup, tokens=tokens),  # token reads off the event loop
        ],
        exception_handlers={
            HttpProblem: on_http_problem,
            ServiceError: on_service_error,
            DomainError: on_domain_error,
            HTTPException: _on_http_exception,
            Exception: on_unexpected,
        },
    )
    app.state.ctx = ctx
    app.state.tokens = tokens
    app.state.intake = intake
    return app
