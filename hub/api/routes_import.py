"""`POST /v1/import/cases` (INTERFACE 12): historical cases as NDJSON, up to 10,000 lines or
50 MB a request; answers the summary and the refused lines' reports. Thin: the lines go to
`hub.services.case_import`, a unit of work a batch (`hub.import_runs`)."""

from __future__ import annotations

import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hub import import_runs
from hub.api.declare import Answer, caller, operation, ref
from hub.api.errors import HttpProblem
from hub.api.support import hub_ctx, json_response
from hub.services.case_import import CaseImporter, not_ndjson
from hub.services.errors import Violation
from hub.services.principal import Role
from schemas.text import ascii_int

MAX_LINES = 10_000
MAX_BYTES = 50 * 1024 * 1024
_NDJSON = ("application/x-ndjson", "application/ndjson", "application/jsonl")


async def _body(request: Request) -> bytes:
    declared = ascii_int(request.headers.get("content-length") or "")
    if declared is not None and declared > MAX_BYTES:
        raise HttpProblem(413, "请求体超过 50 MB / body over 50 MB")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise HttpProblem(413, "请求体超过 50 MB / body over 50 MB")
        chunks.append(chunk)
    return b"".join(chunks)


@operation(
    "POST",
    "/v1/import/cases",
    "importCases",
    tag="applications",
    summary="导入历史办件 Import historical cases (NDJSON, <= 10,000 lines or 50 MB)",
    description="Role institution for its own cases. Answers imported, duplicate, invalid, "
    "seconds, rate and the refused lines' reports.",
    roles=(Role.ADMIN, Role.INSTITUTION),
    body={"type": "string", "description": "One case a line (application/x-ndjson)"},
    body_media_type="application/x-ndjson",
    answers=(Answer(200, "导入结果 The summary and refused lines", ref("ImportSummary")),),
    problems=(413, 415),
)
async def import_cases(request: Request) -> Response:
    principal = caller(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in _NDJSON:
        raise HttpProblem(
            415, "请使用 Content-Type: application/x-ndjson / use application/x-ndjson"
        )
    started = time.monotonic()
    raw = await _body(request)
    lines = raw.split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()
    if len(lines) > MAX_LINES:
        raise HttpProblem(413, f"超过 {MAX_LINES} 行 / over {MAX_LINES} lines")
    _refuse_if_not_ndjson(lines)
    importer = CaseImporter(hub_ctx(request), principal)

    def run() -> dict[str, Any]:
        counts = {"imported": 0, "duplicate": 0, "invalid": 0}
        refused: list[dict[str, Any]] = []
        for outcomes in import_runs.run(importer, enumerate(lines, start=1)):
            for o in outcomes:
                counts[o.result] += 1
                if o.errors:
                    refused.append(o.report())
        seconds = time.monotonic() - started
        total = sum(counts.values())
        return {
            **counts,
            "seconds": round(seconds, 3),
            "rate": round(total / seconds, 1) if seconds else None,
            "refused": refused,
        }

    return json_response(await run_in_threadpool(run))


def _refuse_if_not_ndjson(lines: list[bytes]) -> None:
    """A JSON array, CSV or gzip body is refused whole, with its first line, as the CLI
    refuses such a file, instead of one report per line; nothing is imported."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if reason := not_ndjson(line):
                raise HttpProblem(422, reason, [Violation(f"/line/{number}", reason)])
            return


routes = [import_cases]
