"""Answers about operations: complaints, help, statistics, alerts, calendar, health
(INTERFACE 10, 16)."""

from __future__ import annotations

from hub.api.shapes.base import (
    ANY_OBJECT,
    BILINGUAL,
    BOOLEAN,
    INTEGER,
    STRING,
    TIME,
    Schema,
    array,
    enum,
    from_body,
    nullable,
    obj,
)
from hub.ops.complaints import STATUS_TEXT as COMPLAINT_STATUS_TEXT

COMPLAINT_STATUS = enum(*COMPLAINT_STATUS_TEXT)
COMPLAINT_TYPE = from_body("complaint", "properties", "type")
_ARTICLE = ("help_article", "properties")

ARTICLE = obj(
    ("id", "title", "body", "tags", "version", "updated_at", "retired_at"),
    "帮助文章 A FAQ article (hub.ops.helpdesk); `versions` for its keepers only",
    id={"type": "integer", "minimum": 1},
    title=STRING,
    body=STRING,
    title_en=nullable(STRING),
    body_en=nullable(STRING),
    category=nullable(from_body(*_ARTICLE, "category")),
    tags=array(STRING),
    version={"type": "integer", "minimum": 1},
    author=nullable(STRING),
    updated_at=TIME,
    retired_at=nullable(TIME),
    versions=array(
        obj(
            ("version", "action", "title", "body", "at"),
            version={"type": "integer", "minimum": 1},
            action=enum("added", "edited", "retired"),
            title=STRING,
            body=STRING,
            title_en=nullable(STRING),
            body_en=nullable(STRING),
            category=nullable(STRING),
            tags=nullable(array(STRING)),
            by=nullable(STRING),
            at=TIME,
        )
    ),
)

SHAPES: dict[str, Schema] = {
    "ComplaintFiled": obj(
        ("complaint_no", "query_code", "status"),
        "已受理 The complaint's number and the query code for its progress",
        complaint_no=STRING,
        query_code=STRING,
        status=COMPLAINT_STATUS,
    ),
    "ComplaintProgress": obj(
        ("complaint_no", "status", "status_text", "institution", "type", "submitted_at"),
        "投诉进度 The complainant's view, no internal data",
        complaint_no=STRING,
        status=COMPLAINT_STATUS,
        status_text=BILINGUAL,
        institution=obj(("name",), name=STRING),
        type=COMPLAINT_TYPE,
        submitted_at=TIME,
        answered_at=nullable(TIME),
        answer=nullable(STRING),
    ),
    "ComplaintAnswered": obj(
        ("complaint_no", "status"),
        "已答复 The complaint's status after the answer",
        complaint_no=STRING,
        status=COMPLAINT_STATUS,
    ),
    "Complaints": obj(
        ("complaints",),
        "投诉列表 Complaints with their content, never the contact",
        complaints=array(
            obj(
                ("complaint_no", "institution", "type", "status", "repeat", "submitted_at"),
                complaint_no=STRING,
                institution=STRING,
                unit=nullable(STRING),
                type=COMPLAINT_TYPE,
                application_no=nullable(STRING),
                status=COMPLAINT_STATUS,
                content=STRING,
                repeat=BOOLEAN,
                submitted_at=TIME,
                answered_at=nullable(TIME),
                answer=nullable(STRING),
            )
        ),
    ),
    "HelpArticleRecord": ARTICLE,
    "HelpResults": obj(("results",), q=STRING, results=array(ANY_OBJECT)),
    "Alerts": obj(("alerts",), as_of=TIME, alerts=array(ANY_OBJECT)),
    "Statistics": obj(("rows",), by=STRING, rows=array(ANY_OBJECT)),
    "CalendarYear": obj(
        ("year", "holidays", "workdays"),
        year=INTEGER,
        source=STRING,
        holidays=array({"type": "string", "format": "date"}),
        workdays=array({"type": "string", "format": "date"}),
        working_days=INTEGER,
    ),
    "Health": obj(("status",), status=STRING),
    "Readiness": obj(("status", "checks"), status=STRING, checks=ANY_OBJECT),
}
