"""Exceptions the handlers raise to end a request early, and their translation to problems."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response

from hub.api.problems import problem
from hub.domain.errors import InvalidApplicationNumber, InvalidTransition, NotAllowed
from hub.logsafety import get_logger
from hub.services.errors import Conflict, Invalid, ServiceError, Throttled, Violation

log = get_logger("hub.api")


class HttpProblem(Exception):
    def __init__(self, status: int, detail: str = "", errors: Sequence[Violation] = ()) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


async def on_http_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpProblem)
    return problem(exc.status, exc.detail, request=request, errors=exc.errors)


async def on_service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    errors = exc.errors if isinstance(exc, Invalid | Conflict) else ()
    current = exc.current_status if isinstance(exc, Conflict) else None
    response = problem(
        exc.status, exc.detail, request=request, errors=errors, current_status=current
    )
    if isinstance(exc, Throttled):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def on_domain_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, InvalidTransition):
        return problem(409, str(exc), request=request, current_status=str(exc.current))
    if isinstance(exc, NotAllowed):
        return problem(
            422, str(exc), request=request, errors=[Violation(exc.pointer or "", str(exc))]
        )
    if isinstance(exc, InvalidApplicationNumber):
        return problem(
            422, str(exc), request=request, errors=[Violation("/application_no", str(exc))]
        )
    return problem(422, str(exc), request=request)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    # The message may hold personal data: log the type and the path only.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem(500, request=request)
