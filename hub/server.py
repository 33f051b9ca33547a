"""`hub serve` and `hub demo`: the API with its background workers, run by uvicorn."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any

import uvicorn
from starlette.applications import Starlette

from hub import logsafety
from hub.api.app import create_app
from hub.arrival_limits import IMPORT_PATH as ARRIVAL_LIMITS
from hub.bootstrap import bootstrap, default_registry_file
from hub.config import LogSettings, ServeSettings
from hub.gc_tuning import tune_for_service
from hub.logsafety import get_logger
from hub.optional import optional_module
from hub.services.context import HubContext

log = get_logger("hub.server")

#: Background workers started beside the API when their module exists: (module, factory).
#: HUB_BACKGROUND_OFF=embedded,scheduler leaves some out (e.g. when `hub relay` and
#: `hub scheduler` run as their own processes).
BACKGROUND = (
    ("hub.broker.embedded", "start_for_server"),
    ("hub.ops.scheduler", "start_for_server"),
    ("hub.audit_checkpointer", "start_for_server"),  # signed audit checkpoints
)


@contextlib.contextmanager
def background(ctx: HubContext, app: Starlette) -> Iterator[None]:
    stops: list[Any] = []
    disabled = ctx.settings.serve.background_off
    checkpointer = ctx.db.start_checkpointer()  # SQLite only: WAL copied outside commits
    if checkpointer is not None:
        stops.append(checkpointer)
    for module_name, factory in BACKGROUND:
        if module_name.rsplit(".", 1)[-1] in disabled:
            continue
        module = optional_module(module_name)
        if module is None:
            continue
        stop = getattr(module, factory)(ctx, app)
        if stop is not None:
            stops.append(stop)
    try:
        yield
    finally:
        for stop in reversed(stops):
            stop()


def app_factory() -> Starlette:
    """For `uvicorn --factory` with several workers: each process builds its own context
    and configures its own logs (a worker process inherits no handlers)."""
    logsafety.configure(LogSettings.from_env().format)
    logsafety.install()
    ctx = bootstrap()
    app = create_app(ctx)
    # SQLite: each worker checkpoints the WAL outside commits (PASSIVE checkpoints may run
    # side by side); the daemon thread ends with the worker process.
    ctx.db.start_checkpointer()
    tune_for_service()
    return app


def server_options(settings: ServeSettings) -> dict[str, Any]:
    """uvicorn settings of every `hub serve`: no access log (request lines carry query codes,
    which are secrets); time limits on a request's arrival (hub.arrival_limits); the client
    address taken from X-Forwarded-For only when the peer is a proxy listed in
    HUB_TRUSTED_PROXIES (default 127.0.0.1), since throttling counts per client address.
    uvicorn configures no logging of its own: its lines go to the root handler, rendered
    and scrubbed as the hub's (hub.logsafety, HUB_LOG_FORMAT)."""
    return {
        "log_config": None,
        "log_level": "info",
        "access_log": False,
        "http": ARRIVAL_LIMITS,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.trusted_proxies,
    }


def _run(ctx: HubContext, host: str, port: int) -> int:
    app = create_app(ctx)
    tune_for_service()
    with background(ctx, app):
        uvicorn.run(
            app,
            host=host,
            port=port,
            timeout_graceful_shutdown=5,
            **server_options(ctx.settings.serve),
        )
    return 0


def serve(host: str, port: int, *, workers: int = 1) -> int:
    if workers > 1:
        # The API runs in `workers` processes; the background workers (delivery, embedded
        # when there is no broker; the scheduler) once, here in the supervising process,
        # which otherwise only watches them. HUB_BACKGROUND_OFF leaves them out as before.
        ctx = bootstrap()
        with background(ctx, create_app(ctx)):
            uvicorn.run(
                "hub.server:app_factory",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                **server_options(ctx.settings.serve),
            )
        return 0
    return _run(bootstrap(), host, port)


DEMO_TOKENS = (
    ("portal", "portal", "一网通办门户 portal"),
    ("institution", "pm-310104-01", "徐汇区人民调解委员会 institution"),
    ("institution", "cons-310000-01", "市场监管局消费争议调解中心 institution"),
    ("unit", "sfj", "市司法局 justice bureau (unit)"),
    ("court", "court-310104", "徐汇区人民法院 court"),
    ("arbitration", "arb-310000", "上海仲裁委员会 commission"),
    ("databureau", None, "市大数据中心 data bureau"),
    ("admin", None, "operator (admin)"),
)


def sign_in_hint(url: str) -> str:
    """How a newcomer signs in to the pages the demo serves (printed by `hub demo`)."""
    return "\n".join(
        (
            "sign in 登录:",
            f"  机构工作台 workbench  {url}/web/login: 展开「或：机构接口令牌登录」，粘贴上面的"
            " institution 令牌 / open 'Or: sign in with an institution's API token', paste an"
            " institution token above",
            "  控制台 console        hub user add --login clerk --name 张科员 --role unit"
            " --party sfj (or --role admin) 打印一次性密码 / prints a one-time password:"
            f" sign in with it at {url}/web/login, then choose your own",
            f"  进度查询 status       {url}/web/status: 办件编号和查询码 / the application_no"
            " and query_code of a 201 answer",
        )
    )


def demo(host: str, port: int) -> int:
    from hub.services.registry import load
    from hub.services.tokens import issue
    from hub.store.migrate import upgrade

    ctx = bootstrap()
    upgrade(ctx.settings.database_url)
    report = ctx.db.run(lambda s: load(ctx, s, default_registry_file()))
    print(f"demo registry: {report.institutions_added + report.institutions_updated} institutions")
    print("tokens (demo only; issue real ones with `hub token issue`):")
    for role, party, label in DEMO_TOKENS:
        try:
            token = ctx.db.run(partial(issue, ctx, role=role, party=party, label="demo"))
        except Exception as exc:  # a party missing from the registry: say so, keep going
            print(f"  {role:12} (not issued: {exc})")
            continue
        print(f"  {role:12} {token}   # {label}")
    url = f"http://{host}:{port}"
    print(sign_in_hint(url))
    print(f'OneMatter hub 解纷"一件事" is serving at {url}  (API: {url}/openapi.json)', flush=True)
    return _run(ctx, host, port)
