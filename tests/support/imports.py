"""Import lines (INTERFACE 12) for the tests: a closed case, an open one, variations."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.support.api import application_body


def import_line(**over: Any) -> dict[str, Any]:
    """A consumer case handled by pm-a in March 2025: received, accepted, closed settled."""
    body = application_body()
    body.pop("channel")
    line: dict[str, Any] = {
        "source": "legacy-platform",
        "source_no": "LP-2025-0001",
        "channel": "window",
        "received_at": "2025-03-03T09:00:00+08:00",  # a Monday
        **body,
        "institution": "pm-a",
        "events": [
            {"type": "received", "at": "2025-03-03T10:00:00+08:00"},
            {"type": "accepted", "at": "2025-03-04T09:00:00+08:00"},
            {
                "type": "closed",
                "at": "2025-03-20T16:00:00+08:00",
                "data": {"outcome": "success", "agreement": {"summary": "退款三千元。"}},
            },
        ],
    }
    line.update(copy.deepcopy(over))
    return line


def ndjson(*lines: dict[str, Any] | str) -> bytes:
    return "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
    ).encode()
