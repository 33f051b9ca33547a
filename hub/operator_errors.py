"""What an operator reads when the database or the broker cannot be reached or refuses:
one line, Chinese then English, and an exit code; never a traceback.

`explain(exc)` answers that line for the failures it knows (connection refused, unknown
host, timeouts, refused logins, missing databases, policies not written), else None (a bug
keeps its traceback). Reasons are cut to their first line with any password removed.
"""

from __future__ import annotations

import re

#: Exit code of a command that could not reach (or was refused by) a dependency.
UNREACHABLE = 3

#: What a database driver says when the server is not there (or not answering).
_UNREACHABLE = (
    "connection",
    "could not connect",
    "unable to open database file",
    "timeout",
    "timed out",
    "refused",
    "name or service not known",
    "could not translate host name",
    "server closed",
)

_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    first = next((line.strip() for line in text.splitlines() if line.strip()), text)
    return _PASSWORD.sub(r"\1***@", first)[:300]


def _broker(exc: BaseException) -> str | None:
    from pika import exceptions as px

    if not isinstance(exc, px.AMQPError):
        return None
    inner: BaseException = exc
    # pika wraps the last node's failure: AMQPConnectionError(<the reason>)
    while isinstance(inner, px.AMQPConnectionError) and inner.args:
        nested = inner.args[0]
        if not isinstance(nested, BaseException):
            break
        inner = nested
    text = _reason(inner)
    refused = (
        isinstance(
            inner,
            px.ProbableAuthenticationError | px.AuthenticationError | px.ProbableAccessDeniedError,
        )
        or "ACCESS_REFUSED" in text
    )
    if refused:
        return f"消息代理拒绝登录（用户名或密码错误）/ the broker refused the login: {text}"
    if isinstance(exc, px.AMQPConnectionError | px.StreamLostError | px.ConnectionClosed):
        return f"无法连接消息代理 / cannot reach the broker (HUB_AMQP_URL): {text}"
    return None


def _database(exc: BaseException) -> str | None:
    from sqlalchemy import exc as sa

    if not isinstance(exc, sa.OperationalError | sa.InterfaceError):
        return None
    text = _reason(exc.orig if exc.orig is not None else exc)
    lowered = text.lower()
    refused = ("password authentication failed", "no pg_hba.conf entry", "role ")
    if any(r in lowered for r in refused):
        return f"数据库拒绝登录 / the database refused the login (HUB_DATABASE_URL): {text}"
    if "database" in lowered and "does not exist" in lowered:
        return f"数据库不存在 / the database does not exist (HUB_DATABASE_URL): {text}"
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"数据库尚未迁移，请运行 hub db upgrade / the database has no schema yet: {text}"
    if any(w in lowered for w in _UNREACHABLE):
        return f"无法连接数据库 / cannot reach the database (HUB_DATABASE_URL): {text}"
    return None  # an error of the hub's own SQL: a bug, with its traceback


def explain(exc: BaseException) -> str | None:
    from hub.broker.policies import PolicyError
    from hub.store.db import MissingDatabaseFolder

    if isinstance(exc, MissingDatabaseFolder):
        return str(exc)

    if isinstance(exc, PolicyError):
        return f"无法写入 RabbitMQ 策略 / cannot write the RabbitMQ policies: {_reason(exc)}"
    return _broker(exc) or _database(exc)
