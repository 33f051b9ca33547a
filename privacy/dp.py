"""Differentially private counts with OpenDP (the aggregates of INTERFACE 9, 9a).

``noisy_counts(counts, epsilon)`` adds discrete Laplace noise (OpenDP's ``make_laplace``
over a vector of integer counts with the L1 distance) of scale ``1 / epsilon`` to every
cell of a table in which each case counts once: adding or removing one case changes one
cell by one, so the whole table costs ``epsilon`` (epsilon-differential privacy; cases in
different months or groups are disjoint, so a table of many months costs the same).
Every cell of the table's full domain is noised, zeros included, so that the presence of
a cell says nothing. Sums of noisy cells (margins, windows) and hiding small noisy cells
are post-processing: they cost nothing and reveal nothing more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

__all__ = ["MECHANISM", "noisy_counts", "scale_for", "sd_for"]

MECHANISM = "discrete Laplace (OpenDP make_laplace, L1 sensitivity 1)"


def scale_for(epsilon: float) -> float:
    """The noise scale that makes one table cost ``epsilon``."""
    return 1.0 / epsilon


def sd_for(epsilon: float) -> float:
    """The standard deviation of one cell's noise: discrete Laplace of scale b has the
    variance 2 e^(-1/b) / (1 - e^(-1/b))^2."""
    q = math.exp(-epsilon)
    return math.sqrt(2 * q) / (1 - q)


@cache
def _measurement(scale: float) -> Any:
    import opendp.prelude as dp

    # OpenDP asks callers to opt in to components outside its formally vetted core
    # ("contrib"); its Laplace mechanism is one of them, as in OpenDP's own examples.
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return space >> dp.m.then_laplace(scale=scale)


def noisy_counts(counts: Sequence[int], epsilon: float) -> list[int]:
    """``counts`` with fresh OpenDP noise; the measurement's privacy loss for a change of
    one case is checked to be at most ``epsilon``."""
    measurement = _measurement(scale_for(epsilon))
    if measurement.map(1) > epsilon + 1e-9:
        raise ValueError("the noise does not meet the privacy loss asked for")
    return list(measurement([int(c) for c in counts])) if counts else []
