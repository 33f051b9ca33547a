"""The public directory of institutions (INTERFACE 3)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import PUBLIC, Answer, operation, query, ref
from hub.api.errors import HttpProblem
from hub.api.support import in_read, json_response
from hub.domain.places import district_of
from hub.services.errors import Violation
from hub.services.registry import directory
from schemas.codes import CATEGORIES, DISTRICTS
from schemas.text import one_of_message


@operation(
    "GET",
    "/v1/institutions",
    "listInstitutions",
    tag="registry",
    summary="机构名录 Directory of institutions for a category and district",
    description="With `address` and no `district`, the district is read from the address.",
    roles=PUBLIC,
    params=(
        query("category", "纠纷类别 dispute category", type="string"),
        query("district", "区划代码 district code", type="string"),
        query("address", "地址 an address in Shanghai", type="string"),
    ),
    answers=(Answer(200, "名录 The directory", ref("Directory")),),
)
async def list_institutions(request: Request) -> Response:
    category = request.query_params.get("category") or None
    district = request.query_params.get("district") or None
    if category and category not in CATEGORIES:
        raise HttpProblem(
            422,
            "未知纠纷类别 / unknown category",
            [Violation("/query/category", one_of_message(CATEGORIES))],
        )
    if district and district not in DISTRICTS:
        raise HttpProblem(
            422,
            "未知区 / unknown district",
            [Violation("/query/district", one_of_message(DISTRICTS))],
        )
    address = request.query_params.get("address") or None
    if address and not district:
        match = district_of(address[:300])
        if match is None:
            raise HttpProblem(
                422,
                "无法从地址确定所在区 / the address names no Shanghai district",
                [
                    Violation(
                        "/query/address",
                        "地址中没有上海的区 / no Shanghai district in this address",
                    )
                ],
            )
        district = match.code

    def work(session: Session) -> dict[str, Any]:
        return {
            "category": category,
            "district": district,
            "institutions": directory(session, category=category, district=district),
        }

    return json_response(await in_read(request, work))


routes = [list_institutions]
