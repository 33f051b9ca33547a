"""JSON Schemas of what the API answers (the bodies it receives are in `schemas/`).

They describe the members a client can rely on; answers may carry more members than
listed (additive changes, INTERFACE v1.1), so no schema here forbids extra ones."""

from __future__ import annotations

from typing import Any

from hub.domain.status import Status

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
TIME: Schema = {"type": "string", "format": "date-time"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
STATUS: Schema = {"type": "string", "enum": [s.value for s in Status]}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(required: tuple[str, ...] = (), description: str = "", **properties: Schema) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


BILINGUAL = obj(("zh", "en"), zh=STRING, en=STRING)
INSTITUTION_REF = obj(
    ("id", "name"), "办件所在机构 The institution holding it", id=STRING, name=STRING
)
DEADLINES = {
    "type": "object",
    "additionalProperties": TIME,
    "description": "期限 Open deadlines by kind (acknowledge_by, respondent_contact_by, ...)",
}

SHAPES: dict[str, Schema] = {
    "Problem": obj(
        ("type", "title", "status", "detail"),
        "RFC 9457 problem details; `detail` gives Chinese, then ` / `, then English",
        type={"type": "string", "format": "uri"},
        title=STRING,
        status={"type": "integer", "minimum": 400, "maximum": 599},
        detail=STRING,
        errors=array(
            obj(
                ("pointer", "message"),
                pointer={"type": "string", "description": "RFC 6901 JSON pointer to the field"},
                message=STRING,
            )
        ),
        current_status={
            "type": "string",
            "description": "409: the status the case (or request) is in now",
        },
    ),
    "ApplicationCreated": obj(
        ("application_no", "status"),
        "INTERFACE 4: the number, the applicant's query code, where the case went",
        application_no=STRING,
        query_code=nullable(
            {"type": "string", "description": "公开查询码 for GET /v1/status/{no}"}
        ),
        source_no=nullable(STRING),
        status=STATUS,
        district=nullable(STRING),
        institution=nullable(INSTITUTION_REF),
        deadlines=DEADLINES,
    ),
    "TimelineStep": obj(
        ("type", "status", "at"),
        type=STRING,
        status=STATUS,
        at=TIME,
        actor=nullable(STRING),
        data=nullable(ANY_OBJECT),
    ),
    "ApplicationRecord": obj(
        ("application_no", "status", "channel", "category", "timeline"),
        "INTERFACE 4: the whole record, for the parties entitled to it",
        application_no=STRING,
        source_no=nullable(STRING),
        status=STATUS,
        channel=STRING,
        category=STRING,
        district=nullable(STRING),
        received_at=TIME,
        submitted_at=TIME,
        institution=nullable(INSTITUTION_REF),
        preferred_institution=nullable(STRING),
        arbitration_agreement=BOOLEAN,
        applicants=array(ANY_OBJECT),
        respondents=array(ANY_OBJECT),
        facts=STRING,
        claims=STRING,
        amount=nullable(STRING),
        attachments=array(ANY_OBJECT),
        outcome=nullable(STRING),
        deadlines=DEADLINES,
        timeline=array(ref("TimelineStep")),
        referrals=array(ANY_OBJECT),
        documents=array(ANY_OBJECT),
    ),
    "ApplicationList": obj(
        ("items",),
        "INTERFACE 10: one page of cases; `next_cursor` fetches the next",
        items=array(
            obj(
                ("application_no", "status"),
                application_no=STRING,
                source_no=nullable(STRING),
                status=STATUS,
                institution=nullable(INSTITUTION_REF),
            )
        ),
        next_cursor=nullable(STRING),
        as_of=TIME,
    ),
    "PublicStatus": obj(
        ("application_no", "status", "timeline"),
        "INTERFACE 4: the public view, no personal data",
        application_no=STRING,
        status=STATUS,
        status_text=BILINGUAL,
        institution=nullable(ANY_OBJECT),
        next_step=nullable(ANY_OBJECT),
        timeline=array(obj(("type", "status", "at"), type=STRING, status=STATUS, at=TIME)),
    ),
    "EventRecorded": obj(
        ("application_no", "status"),
        "The case's status after the action",
        application_no=STRING,
        event_id=STRING,
        status=STATUS,
    ),
    "ReferralCreated": obj(
        ("referral_id",),
        referral_id=STRING,
        application_no=STRING,
        status=STRING,
    ),
    "Directory": obj(
        ("institutions",),
        "INTERFACE 3: active, visible institutions for a category and district",
        category=nullable(STRING),
        district=nullable(STRING),
        institutions=array(
            obj(
                ("id", "name", "kind"),
                id=STRING,
                name=STRING,
                kind=STRING,
                unit=STRING,
                categories=array(STRING),
                districts=array(STRING),
                phone=nullable(STRING),
                address=nullable(STRING),
            )
        ),
    ),
    "Feed": obj(
        ("messages", "next"),
        "INTERFACE 8: the caller's messages after `after`, in order; `next` is the cursor",
        messages=array(
            obj(
                ("message_id", "type", "occurred_at"),
                message_id=STRING,
                type=STRING,
                application_no=nullable(STRING),
                occurred_at=TIME,
                data=ANY_OBJECT,
            )
        ),
        next=STRING,
    ),
    "DeadLetters": obj(
        ("deadletters", "next"),
        "Messages that could not be delivered, with the reason; `next` is the cursor",
        deadletters=array(ANY_OBJECT),
        next=STRING,
    ),
    "ReplayCounts": obj(
        (),
        "How many dead letters went out again, and why the others did not",
        replayed=INTEGER,
        redispatched=INTEGER,
        superseded=INTEGER,
        not_dead=INTEGER,
        letters=array(ANY_OBJECT),
    ),
    "Referrals": obj(("referrals",), referrals=array(ANY_OBJECT)),
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
    "RegistryChanges": obj(("changes",), changes=array(ANY_OBJECT)),
    "Complaints": obj(("complaints",), complaints=array(ANY_OBJECT)),
    "Grants": obj(("grants",), grants=array(ANY_OBJECT)),
    "WorkOrders": obj(("workorders",), workorders=array(ANY_OBJECT), next_cursor=nullable(STRING)),
    "HelpResults": obj(("results",), q=STRING, results=array(ANY_OBJECT)),
    "Alerts": obj(("alerts",), as_of=TIME, alerts=array(ANY_OBJECT)),
    "Statistics": obj(("rows",), by=STRING, rows=array(ANY_OBJECT)),
    "Record": obj(description="A JSON object; its members are described in INTERFACE.md"),
}
