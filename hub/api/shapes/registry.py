"""Answers about the registry: the directory, change requests, versions (INTERFACE 3, 17)."""

from __future__ import annotations

from hub.api.shapes.base import (
    ANY_OBJECT,
    BOOLEAN,
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
from hub.ops.governance import CHANGE_STATUSES

_FIELDS = ("registry_change", "properties", "data", "properties")
KIND = from_body(*_FIELDS, "kind")
CATEGORY = from_body(*_FIELDS, "categories", "items")
DISTRICT = from_body(*_FIELDS, "districts", "items")
_COUNT_OR_NULL = nullable({"type": "integer", "minimum": 0})

CHANGE = obj(
    ("id", "action", "institution", "status", "requested_at"),
    "名录变更申请 A registry change request and its decision (hub.ops.governance)",
    id=STRING,
    action=from_body("registry_change", "properties", "action"),
    institution=STRING,
    data=nullable({**ANY_OBJECT, "description": "申请的字段 the fields asked for, no secret"}),
    reason=nullable(STRING),
    status=enum(*CHANGE_STATUSES),
    requested_by=nullable(STRING),
    requested_at=TIME,
    decided_by=nullable(STRING),
    decided_at=nullable(TIME),
    decision_note=nullable(STRING),
)

SHAPES: dict[str, Schema] = {
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
    "RegistryChangeRecord": CHANGE,
    "RegistryChanges": obj(("changes",), changes=array(ref("RegistryChangeRecord"))),
    "RegistryChangeRequested": obj(
        ("id", "status"),
        "已申请 The change's id; an admin other than the requester decides it",
        id=STRING,
        status=enum(*CHANGE_STATUSES),
    ),
    "InstitutionVersion": obj(
        ("version", "valid_from", "valid_to", "source", "could_receive", "routable"),
        "机构的一个版本 One version of an institution, in force [valid_from, valid_to)",
        version={"type": "integer", "minimum": 1},
        valid_from=TIME,
        valid_to=nullable(TIME),
        source=STRING,
        change_id=nullable(STRING),
        name=nullable(STRING),
        kind=nullable(KIND),
        unit=nullable(STRING),
        categories=array(CATEGORY),
        districts=array(DISTRICT),
        capacity=_COUNT_OR_NULL,
        visible=nullable(BOOLEAN),
        state=nullable(enum("active", "suspended", "closed")),
        phone=nullable(STRING),
        address=nullable(STRING),
        mediators=_COUNT_OR_NULL,
        duty=nullable(ANY_OBJECT),
        delivery=nullable({**ANY_OBJECT, "description": "投递方式 how it is told (no secret)"}),
        could_receive=BOOLEAN,
        routable=BOOLEAN,
    ),
    "InstitutionHistory": obj(
        ("institution", "versions"),
        "机构历史 Every version of an institution, oldest first",
        institution=STRING,
        versions=array(ref("InstitutionVersion")),
    ),
    "RegistryAsOf": obj(
        ("from", "to", "institutions"),
        "某时名录 The versions in force during [from, to), per institution",
        **{"from": TIME, "to": TIME},
        institutions=array(
            obj(
                ("id", "could_receive", "routable", "versions"),
                id=STRING,
                name=nullable(STRING),
                could_receive=BOOLEAN,
                routable=BOOLEAN,
                versions=array(ref("InstitutionVersion")),
            )
        ),
    ),
}
