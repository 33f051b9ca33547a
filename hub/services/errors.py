"""The errors a use case raises; the API turns each into one problem+json answer.

ServiceError
├── NotFound        404  unknown, or not the caller's (the same answer on purpose)
├── Forbidden       403  the caller's role may not do this
├── Conflict        409  wrong state, or an idempotency key reused with another body
├── Invalid         422  content that fails a rule, with JSON pointers
│   └── TooLarge    413  over a size quota (a case's files), with JSON pointers
└── Throttled       429  a budget or quota is spent: `retry_after` seconds to wait
"""

from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    status = 500
    title_zh = "服务错误"
    title_en = "Service error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    status = 404
    title_zh = "未找到"
    title_en = "Not found"


class Forbidden(ServiceError):
    status = 403
    title_zh = "无权操作"
    title_en = "Forbidden"


class Conflict(ServiceError):
    status = 409
    title_zh = "状态冲突"
    title_en = "Conflict"

    def __init__(
        self,
        detail: str = "",
        *,
        current_status: str | None = None,
        errors: list[Violation] | None = None,
    ) -> None:
        super().__init__(detail)
        self.current_status = current_status
        #: The field the conflict is about, when there is one (e.g. `/source_no`).
        self.errors = errors or []


@dataclass(frozen=True)
class Violation:
    pointer: str
    message: str


class Invalid(ServiceError):
    status = 422
    title_zh = "内容不合规"
    title_en = "Invalid content"

    def __init__(self, errors: list[Violation], detail: str = "") -> None:
        super().__init__(detail or _joined(errors))
        self.errors = errors

    @classmethod
    def at(cls, pointer: str, message: str) -> Invalid:
        return cls([Violation(pointer, message)])


def _joined(errors: list[Violation]) -> str:
    """Several violations as one detail: every Chinese message, then ` / `, then every
    English one (not "甲 / A; 乙 / B", which would mix the languages)."""
    zh, en = [], []
    for e in errors:
        head, sep, tail = e.message.partition(" / ")
        zh.append(f"{e.pointer}: {head}")
        en.append(f"{e.pointer}: {tail if sep else head}")
    if not any(" / " in e.message for e in errors):
        return "; ".join(en)
    return "；".join(zh) + " / " + "; ".join(en)


class TooLarge(Invalid):
    status = 413
    title_zh = "内容过大"
    title_en = "Too large"


class Throttled(ServiceError):
    status = 429
    title_zh = "请求过于频繁"
    title_en = "Too many requests"

    def __init__(self, retry_after: int, detail: str = "") -> None:
        super().__init__(
            detail
            or f"请求过于频繁，请 {retry_after} 秒后再试 / too many requests, retry in "
            f"{retry_after} s"
        )
        self.retry_after = max(1, int(retry_after))
