"""The data bureau's bulk pull (issue 15 item 3): `GET /v1/shared/cases` with
`Accept: application/x-ndjson` streams the same released records as the pages, one line
each, with cursors to resume from."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.test_privacy_shared import all_pages, next_month
from tests.support.api import Api, close_case

STREAM = {"accept": "application/x-ndjson"}


def _stream(api: Api, **params: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    r = api.client.get(
        "/v1/shared/cases", params=params, headers={**api.auth("databureau"), **STREAM}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    return [x for x in lines if "next_cursor" not in x], [x for x in lines if "next_cursor" in x]


def test_stream_is_the_pages_and_resumes(api: Api) -> None:
    for i in range(12):
        r = api.submitted()
        close_case(api, r["application_no"], r["institution"]["id"], success=i % 2 == 0)
    next_month(api)
    pages, _ = all_pages(api, limit=5)
    records, controls = _stream(api)
    assert records == pages and len(records) == 12
    assert controls[-1]["has_more"] is False and controls[-1]["count"] == 12
    # resume from the first record's cursor, as a page's next_cursor would
    page = api.client.get(
        "/v1/shared/cases", params={"limit": 1}, headers=api.auth("databureau")
    ).json()
    rest, controls = _stream(api, cursor=page["next_cursor"])
    assert rest == pages[1:] and controls[-1]["count"] == 11
    # the stream's own last cursor: nothing after it
    again, controls = _stream(api, cursor=controls[-1]["next_cursor"])
    assert again == [] and controls[-1]["count"] == 0
    bad = api.client.get(
        "/v1/shared/cases",
        params={"cursor": "x" * 40},
        headers={**api.auth("databureau"), **STREAM},
    )
    assert bad.status_code == 422
