"""The working-day calendar, public (INTERFACE 16): which days of a year count."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import PUBLIC, Answer, operation, ref
from hub.api.errors import HttpProblem
from hub.api.support import in_read, json_response
from hub.domain.calendar_schedule import FIRST_YEAR, LAST_YEAR
from hub.services import calendar
from hub.services.errors import Violation


@operation(
    "GET",
    "/v1/calendar/{year}",
    "getCalendarYear",
    tag="calendar",
    summary="工作日日历 A year's holidays and adjusted workdays",
    roles=PUBLIC,
    answers=(Answer(200, "该年日历 The year", ref("CalendarYear")),),
    problems=(422,),
)
async def calendar_year(request: Request) -> Response:
    text = request.path_params["year"]
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not (
        FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        raise HttpProblem(
            422,
            f"年份须为 {FIRST_YEAR}-{LAST_YEAR} / the year must be {FIRST_YEAR}-{LAST_YEAR}",
            [
                Violation(
                    "/path/year",
                    f"须为 {FIRST_YEAR}-{LAST_YEAR} 年 / a year from {FIRST_YEAR} to {LAST_YEAR}",
                )
            ],
        )

    def work(session: Session) -> None:
        calendar.sync(session)

    await in_read(request, work)
    return json_response(calendar.year_view(int(text)))


routes = [calendar_year]
