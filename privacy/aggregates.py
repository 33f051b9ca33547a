"""Aggregate release for the data bureau: small-cell and complementary suppression.

``suppress(table, threshold=5, dims=(...))`` takes interior counts keyed by tuples (one
coordinate per dimension), adds every margin (``TOTAL`` in one or more coordinates, up
to the grand total) and withholds:

1. *primary* cells: counts ``0 < n < threshold`` (also zeros with ``suppress_zeros``),
   interior cells and margins alike;
2. *complementary* (secondary) cells, so that no withheld cell can be recomputed from the
   published ones. Every line of the table with its margin (all cells that differ in one
   coordinate, and their total) is an equation; a line with exactly one withheld cell
   gives it away, so the smallest other cell of that line is withheld too (interior
   cells before margins, non-zero before zero), repeated to a fixpoint;
3. an exact audit: a withheld cell is still exposed when the published equations
   determine it (e.g. a "bridge" between two withheld cycles). :func:`exposed_cells`
   finds those by Gaussian elimination (mod a 61-bit prime) over the withheld cells;
   each exposed cell gets one more complement and the loop repeats. The audit runs when
   there are at most ``audit_limit`` withheld cells.

Not covered: bounds from non-negativity (a withheld pair summing to 1 reveals that both
are small) and differencing across separately released tables; release one table per
query shape, and prefer coarse ``by=`` combinations.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TOTAL", "SuppressedTable", "exposed_cells", "suppress"]

TOTAL = "*"
_P = (1 << 61) - 1

Cell = tuple[Hashable, ...]


@dataclass(frozen=True)
class SuppressedTable:
    dims: tuple[str, ...]
    threshold: int
    values: dict[Cell, int]  # every cell and margin, true counts (never publish this)
    primary: frozenset[Cell]
    secondary: frozenset[Cell]
    lines: tuple[tuple[tuple[Cell, ...], Cell], ...]  # (interior cells of a line, its total)

    @property
    def withheld(self) -> frozenset[Cell]:
        return self.primary | self.secondary

    @property
    def cells(self) -> dict[Cell, int | None]:
        """What may be published: the count, or ``None`` where withheld."""
        hidden = self.withheld
        return {k: (None if k in hidden else v) for k, v in self.values.items()}

    def rows(self, *, include_margins: bool = True) -> list[dict[str, Any]]:
        """Published rows: ``{dim: value, ..., "count": n | None, "withheld": bool}``."""
        hidden = self.withheld
        out: list[dict[str, Any]] = []
        for key, value in self.values.items():
            if not include_margins and TOTAL in key:
                continue
            row: dict[str, Any] = dict(zip(self.dims, key, strict=True))
            row["count"] = None if key in hidden else value
            row["withheld"] = key in hidden
            out.append(row)
        return out


def _lines(categories: Sequence[Sequence[Hashable]]) -> list[tuple[tuple[Cell, ...], Cell]]:
    """Each line: the cells varying in one coordinate (others fixed, totals included)
    and the margin they add up to."""
    extended = [[*c, TOTAL] for c in categories]
    lines: list[tuple[tuple[Cell, ...], Cell]] = []
    for d, cats in enumerate(categories):
        others = [extended[i] if i != d else [None] for i in range(len(categories))]
        for fixed in itertools.product(*others):
            members = tuple((*fixed[:d], c, *fixed[d + 1 :]) for c in cats)
            total = (*fixed[:d], TOTAL, *fixed[d + 1 :])
            lines.append((members, total))
    return lines


def _complement(
    line: tuple[tuple[Cell, ...], Cell], values: Mapping[Cell, int], hidden: set[Cell]
) -> Cell | None:
    members, total = line
    candidates = [c for c in (*members, total) if c not in hidden]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (TOTAL in c, values[c] == 0, values[c], repr(c)))


def suppress(
    table: Mapping[Cell, int],
    threshold: int = 5,
    dims: Sequence[str] | None = None,
    *,
    suppress_zeros: bool = False,
    categories: Sequence[Iterable[Hashable]] | None = None,
    audit_limit: int = 3000,
) -> SuppressedTable:
    """Withhold small cells and enough others that none can be recomputed from the
    published cells and margins. ``categories`` lists each dimension's values (default:
    those present in ``table``; absent combinations count 0)."""
    if not table and categories is None:
        raise ValueError("an empty table needs explicit categories")
    width = len(next(iter(table))) if table else len(categories or ())
    if any(len(k) != width for k in table):
        raise ValueError("all keys must have one coordinate per dimension")
    names = tuple(dims) if dims is not None else tuple(f"d{i}" for i in range(width))
    if len(names) != width:
        raise ValueError(f"{len(names)} dimension names for {width}-dimensional keys")
    if categories is None:
        cats = [sorted({k[i] for k in table}, key=repr) for i in range(width)]
    else:
        cats = [list(c) for c in categories]
    if any(TOTAL in c for c in cats):
        raise ValueError(f"{TOTAL!r} is reserved for margins")
    if any(v < 0 for v in table.values()):
        raise ValueError("counts cannot be negative")

    values: dict[Cell, int] = {}
    for key in itertools.product(*[[*c, TOTAL] for c in cats]):
        values[key] = 0
    for key, count in table.items():
        if key not in values:
            raise ValueError(f"{key!r} is outside the given categories")
        for mask in itertools.product((False, True), repeat=width):
            values[tuple(TOTAL if m else k for k, m in zip(key, mask, strict=True))] += count

    primary = {
        k for k, v in values.items() if (0 < v < threshold) or (suppress_zeros and v < threshold)
    }
    hidden = set(primary)
    lines = _lines(cats)
    by_cell: dict[Cell, list[int]] = {}
    for i, (members, total) in enumerate(lines):
        for c in (*members, total):
            by_cell.setdefault(c, []).append(i)

    for _ in range(len(values) + 1):
        changed = True
        while changed:
            changed = False
            for line in lines:
                members, total = line
                n_hidden = sum(c in hidden for c in members) + (total in hidden)
                if n_hidden == 1:
                    extra = _complement(line, values, hidden)
                    if extra is not None:
                        hidden.add(extra)
                        changed = True
        if len(hidden) > audit_limit:
            break
        exposed = _exposed(lines, hidden)
        if not exposed:
            break
        for cell in sorted(exposed, key=repr)[:1]:
            line = max(
                (lines[i] for i in by_cell[cell]),
                key=lambda ln: sum(c not in hidden for c in (*ln[0], ln[1])),
            )
            extra = _complement(line, values, hidden)
            if extra is None:  # nothing left to hide in its lines: hide everything
                hidden |= set(values)
            else:
                hidden.add(extra)

    return SuppressedTable(
        dims=names,
        threshold=threshold,
        values=values,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
        lines=tuple(lines),
    )


def _exposed(lines: Sequence[tuple[tuple[Cell, ...], Cell]], hidden: set[Cell]) -> set[Cell]:
    """Withheld cells that the published cells determine: ``e_i`` is in the row space of
    the equations restricted to the withheld cells iff a row of the reduced echelon form
    is exactly ``e_i``."""
    if not hidden:
        return set()
    index = {c: i for i, c in enumerate(sorted(hidden, key=repr))}
    cells = {i: c for c, i in index.items()}
    rows: list[dict[int, int]] = []
    for members, total in lines:
        row = {index[c]: 1 for c in members if c in hidden}
        if total in hidden:
            row[index[total]] = _P - 1
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> normalised row
    for row in rows:
        row = dict(row)
        for col in sorted(row):  # eliminate existing pivots
            if col in pivots and col in row:
                factor = row[col]
                for c, v in pivots[col].items():
                    nv = (row.get(c, 0) - factor * v) % _P
                    if nv:
                        row[c] = nv
                    else:
                        row.pop(c, None)
        if not row:
            continue
        col = min(row)
        inv = pow(row[col], _P - 2, _P)
        row = {c: v * inv % _P for c, v in row.items()}
        for other in pivots.values():  # keep the form fully reduced
            if col in other:
                factor = other[col]
                for c, v in row.items():
                    nv = (other.get(c, 0) - factor * v) % _P
                    if nv:
                        other[c] = nv
                    else:
                        other.pop(c, None)
        pivots[col] = row
    return {cells[col] for col, row in pivots.items() if len(row) == 1}


def exposed_cells(result: SuppressedTable) -> set[Cell]:
    """Withheld cells of ``result`` that can be recomputed from what it publishes."""
    return _exposed(result.lines, set(result.withheld))
