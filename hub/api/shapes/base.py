"""The building blocks of the answer schemas, and fragments of the body schemas of
`schemas/` (one source for an enum the hub both receives and answers)."""

from __future__ import annotations

from typing import Any

import schemas
from hub.domain.status import Status

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
#: RFC 3339 with its offset (hub.jsonutil.rfc3339 answers +08:00, or Z near the end of
#: time): the pattern says it even to validators that do not assert `format`.
TIME: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$",
}
DATE: Schema = {"type": "string", "format": "date"}
MONTH: Schema = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
INTEGER: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
STATUS: Schema = {"type": "string", "enum": [s.value for s in Status]}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def enum(*values: str, description: str = "") -> Schema:
    out: Schema = {"type": "string", "enum": list(values)}
    if description:
        out["description"] = description
    return out


def obj(required: tuple[str, ...] = (), description: str = "", **properties: Schema) -> Schema:
    """An object whose `required` members are listed; answers may carry more (additive
    changes, INTERFACE v1.1), so none forbids extra members."""
    unknown = set(required) - set(properties)
    if unknown:
        raise ValueError(f"required but not described: {sorted(unknown)}")
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def without_titles(node: Any) -> Any:
    """The schema with `title`s folded into descriptions: client generators name models
    after titles, and ours are bilingual sentences that would collide."""
    if isinstance(node, list):
        return [without_titles(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: without_titles(v) for k, v in node.items() if k != "title"}
    if isinstance(node.get("title"), str) and "description" not in node:
        out["description"] = node["title"]
    # `properties` maps names to schemas: a property may itself be called "title".
    if isinstance(node.get("properties"), dict):
        out["properties"] = {k: without_titles(v) for k, v in node["properties"].items()}
    return out


def body_schema(name: str) -> Schema:
    """The body schema `schemas/<name>.schema.json`, its references inlined."""
    document: Schema = without_titles(schemas.schema_document(name))
    return document


def from_body(name: str, *pointer: str) -> Schema:
    """A fragment of a body schema, e.g. `from_body("complaint", "properties", "type")`:
    what the hub answers is what it was given, so the enum is written once."""
    node: Any = body_schema(name)
    for part in pointer:
        node = node[part]
    fragment: Schema = node
    return fragment


BILINGUAL = obj(("zh", "en"), zh=STRING, en=STRING)
INSTITUTION_REF = obj(
    ("id", "name"), "办件所在机构 The institution holding it", id=STRING, name=STRING
)
DEADLINES = {
    "type": "object",
    "additionalProperties": TIME,
    "description": "期限 Open deadlines by kind (acknowledge_by, respondent_contact_by, ...)",
}
FIELD_ERROR = obj(
    ("pointer", "message"),
    pointer={"type": "string", "description": "RFC 6901 JSON pointer to the field"},
    message=STRING,
)
