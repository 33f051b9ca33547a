"""Answers to the data bureau (INTERFACE 9, 9a, 17), as hub.services.sharing builds them."""

from __future__ import annotations

from hub.api.shapes.base import (
    BOOLEAN,
    COUNT,
    MONTH,
    NUMBER,
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

_GRANT = ("grant", "properties")
_LEVEL = {"type": "integer", "minimum": 0}

#: privacy.release.released_record: the static and progress values depend on the levels
#: the record was generalised to, so only the frame is required.
RECORD = obj(
    ("case", "round", "first_round", "generalisation"),
    "脱敏记录 A released record: C- pseudonym, months only, values as generalised",
    case={"type": "string", "pattern": "^C-[0-9a-f]{16}$"},
    round=MONTH,
    first_round=MONTH,
    generalisation=obj(("static", "progress"), static=_LEVEL, progress=_LEVEL),
)
RELEASE = obj(
    ("round", "k", "l", "held_back", "unreadable"),
    "最近一轮发布 The latest monthly round (null before the first)",
    round=nullable(MONTH),
    k=nullable(COUNT),
    l=nullable(COUNT),
    held_back=COUNT,
    unreadable=COUNT,
)
_WITHHELD = {
    "withheld_fields": array(STRING),
    "note": {"type": "string", "description": "为何暂缓 why fields are withheld (if any)"},
}
GRANTED = obj(
    ("application_no", "updated_month", "fields"),
    "授权明文 A case's granted fields in clear (null: absent or withheld)",
    application_no=STRING,
    updated_month=MONTH,
    fields=ref("GrantedFields"),
)
MASKED_PAGE = obj(
    ("cases", "next_cursor", "has_more", "generalised", "release"),
    "脱敏办件 One page of released records, in release order",
    cases=array(ref("SharedRecord")),
    next_cursor=nullable(STRING),
    has_more=BOOLEAN,
    generalised=COUNT,
    release=ref("SharedRelease"),
)
GRANTED_PAGE = obj(
    ("grant", "cases", "next_cursor", "has_more", "withheld_fields"),
    "授权明文 One page of in-scope cases with the granted fields (audited)",
    grant=STRING,
    cases=array(ref("GrantedCase")),
    next_cursor=nullable(STRING),
    has_more=BOOLEAN,
    **_WITHHELD,
)

#: hub.services.sharing.budget.view: what a party may still spend.
BUDGET = obj(
    ("holder", "spent", "total", "remaining"),
    "隐私预算 The party's privacy budget (epsilon), shared by all its tokens",
    holder=STRING,
    spent=NUMBER,
    total=NUMBER,
    remaining=NUMBER,
)
BUDGET_GRANT = obj(
    ("id", "epsilon", "reason", "granted_at", "granted_by"),
    id={"type": "integer", "minimum": 1},
    epsilon=NUMBER,
    reason=STRING,
    granted_at=TIME,
    granted_by=obj(
        ("role", "party", "login", "token"),
        role=STRING,
        party=nullable(STRING),
        login=nullable(STRING),
        token=nullable(STRING),
    ),
)


def _budget_shown(*required: str) -> Schema:
    """hub.services.sharing.budget.show (and, after a grant, the grant as `grant`)."""
    return obj(
        (
            *BUDGET["required"],
            "base",
            "granted",
            "releases",
            "ceiling_per_year",
            "granted_last_365_days",
            "grantable",
            "grants",
            *required,
        ),
        "隐私预算 The budget, what may still be granted this year, every grant",
        **BUDGET["properties"],
        base=NUMBER,
        granted=NUMBER,
        releases=COUNT,
        ceiling_per_year=NUMBER,
        granted_last_365_days=NUMBER,
        grantable=NUMBER,
        grants=array(BUDGET_GRANT),
        grant=BUDGET_GRANT,
    )


SHAPES: dict[str, Schema] = {
    "PrivacyBudget": _budget_shown(),
    "PrivacyBudgetGranted": _budget_shown("grant"),
    "SharedRecord": RECORD,
    "SharedMaskedPage": MASKED_PAGE,
    "SharedGrantedPage": GRANTED_PAGE,
    "GrantedCase": GRANTED,
    "SharedReleasedCase": obj(
        ("case", "release"), case=ref("SharedRecord"), release=ref("SharedRelease")
    ),
    "SharedGrantedCase": obj(
        ("grant", "application_no", "updated_month", "fields", "withheld_fields"),
        "授权明文 One case's granted fields (audited)",
        grant=STRING,
        application_no=STRING,
        updated_month=MONTH,
        fields=ref("GrantedFields"),
        **_WITHHELD,
    ),
    "GrantedFields": {
        "type": "object",
        "additionalProperties": True,
        "description": "授权字段 field -> value in clear (null: absent, or withheld for now)",
    },
    "SharedRelease": RELEASE,
    "SharedCasesPage": {
        "description": "无 grant：脱敏记录；有 grant：授权字段 Masked records, or with ?grant= "
        "the granted fields",
        "anyOf": [ref("SharedMaskedPage"), ref("SharedGrantedPage")],
    },
    "SharedCase": {
        "description": "C- 假名：最近发布的记录；编号加 grant：授权字段 The latest released "
        "record of a pseudonym, or a case's granted fields",
        "anyOf": [ref("SharedReleasedCase"), ref("SharedGrantedCase")],
    },
    "SharedAggregates": obj(
        ("by", "from", "to", "as_of", "mechanism", "noise", "budget", "threshold", "cells"),
        "统计 A table with differential privacy: the noise, the budget, the cells",
        by=array(STRING),
        **{"from": MONTH, "to": MONTH},
        as_of=MONTH,
        mechanism=enum("dp"),
        noise=obj(
            ("distribution", "epsilon", "scale", "sd"),
            distribution=STRING,
            epsilon=NUMBER,
            scale=NUMBER,
            sd=NUMBER,
        ),
        budget=BUDGET,
        threshold=COUNT,
        total_marker={"type": "string", "description": "合计格的标记 the margins' marker"},
        cells=array(
            obj(
                ("count", "withheld", "sd"),
                "一格 A cell: its dimensions' values (the marker for a margin) and its count",
                count=nullable(COUNT),
                withheld=BOOLEAN,
                sd=NUMBER,
            )
        ),
        note=STRING,
    ),
    "GrantRecord": obj(
        ("id", "purpose", "scope", "fields", "expiry", "approver", "status", "created_at"),
        "数据使用授权 A consent grant; `status` expired once past its expiry",
        id=STRING,
        purpose=STRING,
        scope=from_body(*_GRANT, "scope"),
        fields=array(STRING),
        expiry=TIME,
        approver=STRING,
        grantee=nullable(STRING),
        consent_reference=nullable(STRING),
        status=enum("pending", "approved", "revoked", "expired"),
        requested_by=nullable(STRING),
        created_at=TIME,
        approved_at=nullable(TIME),
        revoked_at=nullable(TIME),
    ),
    "Grants": obj(("grants",), grants=array(ref("GrantRecord"))),
    "SharedUnreadable": obj(
        ("unreadable",),
        "无法解密 Cases the feed skipped, most recent first",
        unreadable=array(
            obj(
                ("application_no", "part", "error", "first_seen", "last_seen", "times"),
                application_no=STRING,
                part=STRING,
                error=STRING,
                first_seen=TIME,
                last_seen=TIME,
                times={"type": "integer", "minimum": 1},
            )
        ),
    ),
}
