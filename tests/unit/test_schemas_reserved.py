"""Registry ids never take the hub's own destinations or namespaces (issue 12, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import schemas
from schemas import reserved

COMMON = Path(schemas.__file__).parent / "common.schema.json"


def _institution(ident: str) -> dict[str, object]:
    return {
        "id": ident,
        "name": "某某调解委员会",
        "kind": "people_mediation",
        "unit": "sfj",
        "categories": ["neighbor"],
        "districts": ["310104"],
        "delivery": {"kind": "feed"},
    }


@pytest.mark.parametrize(
    "ident", ["notify", "portal", "portal-b", "hub", "hub-relay", "admin", "databureau", "units"]
)
def test_reserved_ids_are_refused_in_the_registry_file_and_in_changes(ident: str) -> None:
    body = {"units": [{"id": ident, "name": "某单位"}], "institutions": [_institution(ident)]}
    errors = {e.pointer: e.message for e in schemas.validate("registry_file", body)}
    assert set(errors) == {"/units/0/id", "/institutions/0/id"}
    assert all("the hub reserves" in m for m in errors.values())
    change = {"action": "suspend", "institution": ident, "reason": "停业整顿"}
    assert [e.pointer for e in schemas.validate("registry_change", change)] == ["/institution"]


@pytest.mark.parametrize("ident", ["pm-a", "notifier", "hubei-01", "portals", "court-310104"])
def test_other_ids_are_taken(ident: str) -> None:
    body = {"units": [{"id": ident, "name": "某单位"}], "institutions": [_institution(ident)]}
    assert schemas.validate("registry_file", body) == []


def test_the_schema_and_the_code_reserve_the_same_names() -> None:
    document = json.loads(COMMON.read_text(encoding="utf-8"))
    assert document["$defs"]["registry_id"]["not"]["pattern"] == reserved.PATTERN
