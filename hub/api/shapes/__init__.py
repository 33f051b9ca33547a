"""JSON Schemas of what the API answers (the bodies it receives are in `schemas/`), one
module per topic; each describes what the code that builds the answer puts in it.

They describe the members a client can rely on; answers may carry more members than
listed (additive changes, INTERFACE v1.1), so no schema here forbids extra ones."""

from __future__ import annotations

from hub.api.shapes import cases, delivery, operations, registry, sharing, workorders
from hub.api.shapes.base import Schema

_MODULES = (cases, registry, delivery, operations, workorders, sharing)


def _merged() -> dict[str, Schema]:
    out: dict[str, Schema] = {}
    for module in _MODULES:
        twice = set(out) & set(module.SHAPES)
        if twice:
            raise ValueError(f"answer schemas named twice: {sorted(twice)}")
        out.update(module.SHAPES)
    return out


SHAPES: dict[str, Schema] = _merged()
