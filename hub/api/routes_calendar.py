"""The working-day calendar, public (INTERFACE 16): which days of a year count."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.errors import HttpProblem
from hub.api.support import in_read, json_response
from hub.domain.calendar_schedule import FIRST_YEAR, LAST_YEAR
from hub.services import calendar
from hub.services.errors import Violation


async def calendar_year(request: Request) -> Response:
    text = request.path_params["year"]
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not (
        FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        raise HttpProblem(
            422,
            f"年份须为 {FIRST_YEAR}-{LAST_YEAR} / the year must be {FIRST_YEAR}-{LAST_YEAR}",
            [Violation("/path/year", f"a year from {FIRST_YEAR} to {LAST_YEAR}")],
        )

    def work(session: Session) -> None:
        calendar.sync(session)

    await in_read(request, work)
    return json_response(calendar.year_view(int(text)))


routes = [Route("/v1/calendar/{year}", calendar_year, methods=["GET"])]

openapi_operations: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "/v1/calendar/{year}": {
        "get": ("工作日日历 A year's holidays and adjusted workdays", None, "public")
    },
}
