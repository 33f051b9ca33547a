"""Structured logs (hub/logsafety.py): a case's lifecycle logged as JSON lines
(HUB_LOG_FORMAT=json), each line about the case carrying its application number and the
party, a delivery's lines its message id, and no personal value anywhere."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from hub import logsafety
from hub.broker.worker import outbox_handler
from hub.delivery.message import Delivery, Message
from hub.delivery.outcomes import Connector, Delivered, Outcome
from tests.support.api import PERSONAL_VALUES, Api


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger's lines as production writes them, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logsafety.formatter("json"))
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logsafety.install()
    try:
        yield stream
    finally:
        logsafety.uninstall()
        root.removeHandler(handler)
        root.setLevel(saved)


def _parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_lifecycle_logs_json_lines_bound_to_the_case(api: Api, json_lines: io.StringIO) -> None:
    case = api.submitted(preferred_institution="pm-a")
    no = case["application_no"]
    for event in ("received", "accepted"):
        api.ok_event(no, "pm-a", event)
    api.ok_event(no, "pm-a", "closed", {"outcome": "failure", "remedies": "可向人民法院起诉"})
    lines = _parsed(json_lines)  # every line is one JSON object
    about = [line for line in lines if line.get("application_no") == no]
    recorded = [line for line in about if line["event"] == "institution event recorded"]
    assert [line["type"] for line in recorded] == ["received", "accepted", "closed"]
    assert {line["party"] for line in recorded} == {"pm-a"}
    assert recorded[-1]["status"] == "closed_failure"
    assert all({"timestamp", "level", "logger"} <= set(line) for line in lines)
    numbered = [line for line in about if line["event"] == "application numbered"]
    assert numbered and numbered[0]["party"] == "portal"
    text = json_lines.getvalue()
    for value in PERSONAL_VALUES:
        assert value not in text, value


class _Logging(Connector):
    def handle(self, message: Message) -> Outcome:
        logsafety.get_logger("hub.test.connector").warning("target slow", seconds=3)
        logging.getLogger("urllib3.test").warning("a library's own line")
        return Delivered("ok")


def test_a_delivery_s_lines_carry_its_message_id_case_and_party(json_lines: io.StringIO) -> None:
    message = Message(
        message_id="m-1",
        destination="pm-a",
        type="application.dispatched",
        application_no="310000-20261123-000001-3",
        sealed="sealed",
    )
    handle = outbox_handler(_Logging())
    handle(Delivery("pm-a", message.properties(), message.body))
    lines = [line for line in _parsed(json_lines) if line["logger"].endswith(".test")]
    lines += [line for line in _parsed(json_lines) if line["logger"] == "hub.test.connector"]
    assert {line["event"] for line in lines} == {"target slow", "a library's own line"}
    for line in lines:
        assert line["message_id"] == "m-1" and line["party"] == "pm-a"
        assert line["application_no"] == "310000-20261123-000001-3"
    logsafety.get_logger("hub.test.connector").info("outside")
    assert "message_id" not in _parsed(json_lines)[-1]  # the binding ended with the message


def test_the_text_format_keeps_its_columns_and_scrubs() -> None:
    record = logging.LogRecord("hub.x", logging.WARNING, "f", 1, "电话%s", ("13912345678",), None)
    logsafety.install()
    try:
        line = logsafety.formatter("text").format(logging.makeLogRecord(record.__dict__))
    finally:
        logsafety.uninstall()
    assert " WARNING hub.x 电话" in line and "13912345678" not in line
    with pytest.raises(ValueError):
        logsafety.formatter("xml")


def test_the_hub_s_modules_log_through_structlog() -> None:
    """Module loggers come from `hub.logsafety.get_logger` (structlog); `logging` itself is
    touched only to set levels and handlers (hub.cli, hub.logsafety)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for top in ("hub", "connectors", "privacy"):
        for path in (root / top).rglob("*.py"):
            if "migrations" in path.parts or path.name in ("logsafety.py", "logfilter.py"):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"logging\.getLogger\([^)]*\)\.(?!setLevel)", line) or re.match(
                    r"^\w+ = logging\.getLogger", line
                ):
                    found.append(f"{path.relative_to(root)}:{n}")
    assert found == []
