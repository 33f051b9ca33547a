"""Health (INTERFACE 1): process up, dependencies reachable, Prometheus metrics."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import PUBLIC, Answer, operation, ref
from hub.api.support import hub_ctx, json_response
from hub.services.sharing import grants


@operation(
    "GET",
    "/healthz",
    "getLiveness",
    tag="health",
    summary="存活 Liveness: the process is up",
    roles=PUBLIC,
    answers=(Answer(200, "存活 Up", ref("Health")),),
)
async def healthz(request: Request) -> Response:
    return json_response({"status": "ok"})


@operation(
    "GET",
    "/readyz",
    "getReadiness",
    tag="health",
    summary="就绪 Readiness: database and broker reachable",
    roles=PUBLIC,
    answers=(
        Answer(200, "就绪 Ready", ref("Readiness")),
        Answer(503, "未就绪 Not ready", ref("Readiness")),
    ),
)
async def readyz(request: Request) -> Response:
    ctx = hub_ctx(request)
    checks: dict[str, Any] = {}

    try:
        await run_in_threadpool(ctx.db.probe)
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports, never raises
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if ctx.settings.amqp_url is None:
        checks["broker"] = "embedded (no HUB_AMQP_URL)"
    else:  # a configured broker is always checked: some node must accept a login
        probe = getattr(request.app.state, "broker_probe", None)
        if probe is None:
            from hub.broker.transport import broker_reachable

            settings = ctx.settings.delivery_settings()
            probe = lambda: broker_reachable(settings)  # noqa: E731
        ok = await run_in_threadpool(probe)
        checks["broker"] = "ok" if ok else "unreachable"
    ready = all(v == "ok" or str(v).startswith("embedded") for v in checks.values())
    # Reported, not a reason to stop serving: without the name model only granted free
    # text is withheld (hub.services.sharing.grants), everything else works.
    model = await run_in_threadpool(grants.name_model_ready)
    checks["name_model"] = "ok" if model else "unavailable: granted free text withheld"
    return json_response(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )


@operation(
    "GET",
    "/metrics",
    "getMetrics",
    tag="health",
    summary="指标 Prometheus metrics",
    roles=PUBLIC,
    answers=(Answer(200, "Prometheus text format", {"type": "string"}, "text/plain"),),
)
async def metrics(request: Request) -> Response:
    collect = getattr(request.app.state, "collect_metrics", None)
    if collect is not None:
        await run_in_threadpool(collect)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


routes = [healthz, readyz, metrics]
