import itertools
import random

import pytest

from privacy.aggregates import TOTAL, SuppressedTable, exposed_cells, suppress

# Rows: districts, columns: categories. One cell (310104, family) = 2 is below 5.
CRAFTED = {
    ("310101", "consumer"): 40,
    ("310101", "family"): 12,
    ("310101", "labor"): 25,
    ("310104", "consumer"): 31,
    ("310104", "family"): 2,
    ("310104", "labor"): 18,
    ("310105", "consumer"): 22,
    ("310105", "family"): 9,
    ("310105", "labor"): 14,
}


def feasible_values(result: SuppressedTable) -> dict[tuple, set[int]]:
    """Brute force with pruning: every assignment of non-negative integers to the
    withheld cells (interior and margins) that satisfies every line equation
    ``sum(members) == total`` given the published cells."""
    known = {k: v for k, v in result.cells.items() if v is not None}
    grand = result.values[(TOTAL,) * len(result.dims)]
    lines = [(m, t) for m, t in result.lines if any(c in result.withheld for c in (*m, t))]
    # Order the cells so that lines complete as early as possible (prunes the search).
    open_cells = [{c for c in (*m, t) if c in result.withheld} for m, t in lines]
    hidden: list[tuple] = []
    todo = set(result.withheld)
    while todo:
        best = min(
            todo,
            key=lambda c: (min((len(o) for o in open_cells if c in o), default=99), repr(c)),
        )
        hidden.append(best)
        todo.discard(best)
        for o in open_cells:
            o.discard(best)
    bounds = {
        c: min([known[t] for m, t in lines if c in m and t in known] + [grand]) for c in hidden
    }
    closes: dict[int, list[tuple]] = {}  # after assigning hidden[i], these lines are complete
    for line in lines:
        last = max(hidden.index(c) for c in (*line[0], line[1]) if c in result.withheld)
        closes.setdefault(last, []).append(line)
    seen: dict[tuple, set[int]] = {k: set() for k in hidden}
    assign: dict[tuple, int] = {}

    def value(c: tuple) -> int:
        return assign[c] if c in assign else known[c]

    def search(i: int) -> None:
        if i == len(hidden):
            for k, v in assign.items():
                seen[k].add(v)
            return
        for v in range(bounds[hidden[i]] + 1):
            assign[hidden[i]] = v
            if all(sum(value(c) for c in m) == value(t) for m, t in closes.get(i, [])):
                search(i + 1)
        del assign[hidden[i]]

    search(0)
    return seen


def test_small_cell_cannot_be_recovered_from_row_and_column_totals() -> None:
    result = suppress(CRAFTED, threshold=5, dims=("district", "category"))
    cells = result.cells
    assert cells[("310104", "family")] is None
    assert ("310104", "family") in result.primary
    # the row and column of the small cell each lose a second cell, and so on
    row = [c for c in result.withheld if c[0] == "310104" and c[1] != TOTAL]
    col = [c for c in result.withheld if c[1] == "family" and c[0] != TOTAL]
    assert len(row) >= 2 and len(col) >= 2
    assert cells[(TOTAL, TOTAL)] == sum(CRAFTED.values())
    assert exposed_cells(result) == set()
    for cell, values in feasible_values(result).items():
        assert len(values) > 1, (cell, values)
        assert result.values[cell] in values


def test_without_complements_the_cell_would_be_recoverable() -> None:
    naive = SuppressedTable(
        dims=("district", "category"),
        threshold=5,
        values=suppress(CRAFTED, threshold=5).values,
        primary=frozenset({("310104", "family")}),
        secondary=frozenset(),
        lines=suppress(CRAFTED, threshold=5).lines,
    )
    assert exposed_cells(naive) == {("310104", "family")}
    assert feasible_values(naive)[("310104", "family")] == {2}


def test_small_totals_are_protected_too() -> None:
    table = {("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 30, ("b", "y"): 40, ("c", "x"): 20}
    result = suppress(table, threshold=5)
    assert result.cells[("a", TOTAL)] is None  # row total 2 is itself small
    assert exposed_cells(result) == set()
    for values in feasible_values(result).values():
        assert len(values) > 1


def test_bridge_between_withheld_cycles_is_detected() -> None:
    cats = [f"r{i}" for i in range(4)], [f"c{i}" for i in range(4)]
    table = {(r, c): 50 for r in cats[0] for c in cats[1]}
    base = suppress(table, threshold=5)
    cycle_a = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    cycle_b = {("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3")}
    bridge = {("r1", "c2")}
    pattern = SuppressedTable(
        dims=("r", "c"),
        threshold=5,
        values=base.values,
        primary=frozenset(cycle_a | cycle_b | bridge),
        secondary=frozenset(),
        lines=base.lines,
    )
    assert exposed_cells(pattern) == bridge  # every line has two or more, still exposed


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_leave_nothing_exposed(seed: int) -> None:
    rng = random.Random(seed)
    dims = rng.choice([2, 2, 3])
    sizes = [rng.randrange(2, 6) for _ in range(dims)]
    table = {
        key: rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40])
        for key in itertools.product(*[range(n) for n in sizes])
    }
    result = suppress(table, threshold=5)
    assert exposed_cells(result) == set()
    for members, total in result.lines:
        hidden = sum(c in result.withheld for c in (*members, total))
        assert hidden != 1
    for key, value in result.values.items():
        if 0 < value < 5:
            assert result.cells[key] is None


def test_rows_and_validation() -> None:
    result = suppress(CRAFTED, threshold=5, dims=("district", "category"))
    rows = result.rows(include_margins=False)
    assert len(rows) == 9
    small = next(r for r in rows if r["district"] == "310104" and r["category"] == "family")
    assert small == {"district": "310104", "category": "family", "count": None, "withheld": True}
    assert all(r["count"] is not None for r in result.rows() if not r["withheld"])
    with pytest.raises(ValueError):
        suppress({("a",): 1, ("a", "b"): 2})
    with pytest.raises(ValueError):
        suppress({("a", "b"): -1})
    with pytest.raises(ValueError):
        suppress({("a", "b"): 1}, dims=("only-one",))
    assert suppress({("a", "b"): 50}).withheld == frozenset()


def test_five_dimensional_release_is_fast_enough() -> None:
    rng = random.Random(3)
    months = [f"2026-{m:02d}" for m in range(1, 7)]
    table = {
        (m, d, c, o, ch): rng.choice([0, 0, 1, 3, 7, 20])
        for m in months
        for d in ("310101", "310104", "310105")
        for c in ("consumer", "labor", "family")
        for o in ("success", "failure")
        for ch in ("online", "window")
    }
    result = suppress(
        table, threshold=5, dims=("month", "district", "category", "outcome", "channel")
    )
    for members, total in result.lines:
        assert sum(c in result.withheld for c in (*members, total)) != 1
