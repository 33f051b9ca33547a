"""Answers about work orders (工单, INTERFACE 14), as hub.ops.workorders builds them."""

from __future__ import annotations

from hub.api.shapes.base import (
    ANY_OBJECT,
    BILINGUAL,
    BOOLEAN,
    COUNT,
    INSTITUTION_REF,
    MONTH,
    STRING,
    TIME,
    Schema,
    array,
    enum,
    from_body,
    nullable,
    obj,
    ref,
)
from hub.api.shapes.operations import ARTICLE
from hub.ops.workorders import STATUS_TEXT, TYPE_TEXT

STATUS = enum(*STATUS_TEXT)
TYPE = from_body("workorder", "properties", "type")
_RATE = nullable({"type": "number", "minimum": 0, "maximum": 1})

#: What dispatch, answer and callback answer: where the work order stands now.
DONE = obj(
    ("workorder_no", "status", "institution", "answer_by"),
    "已办理 The work order's status after the action",
    workorder_no=STRING,
    status=STATUS,
    institution=nullable(INSTITUTION_REF),
    answer_by=TIME,
)

ITEM = obj(
    (
        "workorder_no",
        "type",
        "status",
        "reply_by",
        "created_at",
        "dispatch_by",
        "answer_by",
        "overdue",
        "content",
    ),
    "工单 A work order; `contact`, `answer`, `callback_note`, `help_article` for the parties "
    "who handle it",
    workorder_no=STRING,
    type=TYPE,
    status=STATUS,
    application_no=nullable(STRING),
    institution=nullable(STRING),
    unit=nullable(STRING),
    reply_by=from_body("workorder", "properties", "reply_by"),
    created_at=TIME,
    dispatch_by=TIME,
    dispatched_at=nullable(TIME),
    answer_by=TIME,
    answered_at=nullable(TIME),
    in_time=nullable(BOOLEAN),
    overdue=BOOLEAN,
    dunned_at=nullable(TIME),
    satisfied=nullable(BOOLEAN),
    content=STRING,
    contact=nullable(ANY_OBJECT),
    answer=nullable(STRING),
    callback_note=nullable(STRING),
    help_article=nullable({"type": "integer", "minimum": 1}),
)

PROGRESS = obj(
    ("workorder_no", "type", "type_text", "status", "status_text", "submitted_at", "answer_by"),
    "工单进度 The citizen's view by query code, no personal data",
    workorder_no=STRING,
    type=TYPE,
    type_text=BILINGUAL,
    status=STATUS,
    status_text=BILINGUAL,
    institution=nullable(obj(("name",), name=STRING, phone=nullable(STRING))),
    submitted_at=TIME,
    answer_by=TIME,
    answered_at=nullable(TIME),
    answer=nullable(STRING),
)

SHAPES: dict[str, Schema] = {
    "WorkOrderFiled": obj(
        ("workorder_no", "query_code", "status", "dispatch_by", "answer_by"),
        "已受理 The number, the query code and the deadlines",
        workorder_no=STRING,
        query_code=STRING,
        status=STATUS,
        dispatch_by=TIME,
        answer_by=TIME,
        institution=nullable(INSTITUTION_REF),
    ),
    "WorkOrder": ITEM,
    "WorkOrderProgress": PROGRESS,
    "WorkOrderLookup": {
        "description": "带凭证：工单 With a token, the work order; with ?code=, its progress",
        "anyOf": [ref("WorkOrder"), ref("WorkOrderProgress")],
    },
    "WorkOrderDone": DONE,
    "WorkOrderHelpArticle": obj(
        ("workorder_no", "article"),
        "已转为帮助文章 The article made from the consultation",
        workorder_no=STRING,
        article=ARTICLE,
    ),
    "WorkOrders": obj(
        ("workorders", "next_cursor"),
        "工单台账 One page of the ledger",
        workorders=array(ref("WorkOrder")),
        next_cursor=nullable(STRING),
    ),
    "WorkOrderReport": obj(
        ("month", "received", "by_type", "dispatched", "answered", "late", "unanswered"),
        "工单月报 The month's counts and rates",
        month=MONTH,
        received=COUNT,
        by_type={
            "type": "object",
            "properties": {t: COUNT for t in TYPE_TEXT},
            "required": list(TYPE_TEXT),
        },
        dispatched=COUNT,
        dispatched_in_time=COUNT,
        answered=COUNT,
        answered_in_time=COUNT,
        late=COUNT,
        unanswered=COUNT,
        dunned=COUNT,
        callbacks=COUNT,
        satisfied=COUNT,
        satisfaction_rate=_RATE,
        in_time_rate=_RATE,
        help_articles_made=COUNT,
    ),
}
