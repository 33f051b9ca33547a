"""RFC 9457 problem+json answers, titles in Chinese first and English on request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from hub import jsonutil
from hub.services.errors import Violation

PROBLEM_BASE = "https://onematter.example/problems/"

TITLES: dict[int, tuple[str, str, str]] = {
    400: ("malformed-json", "请求体不是合法的 JSON", "Malformed JSON"),
    401: ("unauthenticated", "缺少或无效的凭证", "Missing or invalid credential"),
    403: ("forbidden", "无权操作", "Forbidden"),
    404: ("not-found", "未找到", "Not found"),
    405: ("method-not-allowed", "不支持该方法", "Method not allowed"),
    408: ("request-timeout", "请求超时", "Request timeout"),
    409: ("conflict", "状态冲突", "Conflict"),
    413: ("too-large", "请求体过大", "Request body too large"),
    415: ("unsupported-media-type", "请使用 application/json", "Use application/json"),
    422: ("invalid", "内容不合规", "Invalid content"),
    429: ("throttled", "请求过于频繁", "Too many requests"),
    500: ("internal", "服务内部错误", "Internal error"),
    503: ("unavailable", "服务暂不可用", "Service unavailable"),
}


def wants_english(request: Request | None) -> bool:
    if request is None:
        return False
    lang = request.headers.get("accept-language", "").strip().lower()
    return lang.startswith("en")


def problem(
    status: int,
    detail: str = "",
    *,
    request: Request | None = None,
    errors: Sequence[Violation] = (),
    **extra: Any,
) -> Response:
    slug, zh, en = TITLES.get(status, ("error", "错误", "Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": en if wants_english(request) else zh,
        "status": status,
        "detail": detail or (f"{zh} / {en}"),
    }
    if errors:
        body["errors"] = [{"pointer": e.pointer, "message": e.message} for e in errors]
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"Content-Language": "en" if wants_english(request) else "zh-CN"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="onematter"'
    return Response(
        jsonutil.dumps(body),
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )
