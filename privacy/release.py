"""Released records that single nobody out: k-anonymity with l-diversity of the outcome,
over everything released so far (INTERFACE 9; Art. 23; ARX is the model).

The data bureau's feed releases each case's masked record (``privacy.masking``) reduced
to a *release vector*, in monthly rounds. The vector has two parts:

- **static** quasi-identifiers, fixed when the case arrives: month of receipt, district,
  category, channel, amount band, kind of respondent;
- **progress**, which changes as the case moves: outcome, decision and mediation time in
  bands, the order of the timeline's steps, the coded reason, remedies, agreement type
  and hand-offs.

Each part has a ladder of generalisation levels (``STATIC_LEVELS``, ``PROGRESS_LEVELS``),
from the finest (level 0) to the coarsest; a level maps a record to the values it
releases. The guarantees, for ``k`` (default 5, never lower) and ``l`` (default 2):

1. *Static classes.* New cases of a round are grouped by their static values at level 0;
   a group of at least ``k`` is released at that level, the rest try the next level
   together, and what is left after the last level is held back to the next round
   (where it is new again). A case keeps the static values and the round of its first
   release for good: the data bureau sees when a case first appeared, so the round is
   part of the class. Every class, once formed, holds at least ``k`` cases and never
   changes.
2. *Trajectories.* Every member of a static class is released again, together, whenever
   a member's progress changed; one progress level is chosen for the whole class (as
   ARX chooses one generalisation for a table, so that no member's level says anything
   about its values), the finest at which every member's *trajectory* (the sequence of
   progress values released for it so far, this round's included) is shared by at least
   ``k`` members of the class, and the released outcomes of the class take at least
   ``l`` distinct values. Linking a case's versions (they share the case pseudonym)
   therefore narrows nobody below ``k``. When only the coarsest level qualifies and the
   class had been released finer before, the change is held back rather than released
   blank.

Everything here is pure: the hub's feed (``hub.services.sharing.feed``) keeps the state
(class, round, trajectory) in its tables and calls these functions.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_K",
    "DEFAULT_L",
    "OUTCOME_OF_STATUS",
    "PROGRESS_LEVELS",
    "STATIC_LEVELS",
    "ClassRelease",
    "Progress",
    "Static",
    "assign_static",
    "decision_band",
    "mediation_band",
    "progress_of",
    "release_class",
    "released_record",
    "static_of",
    "trajectory_step",
]

DEFAULT_K = 5
DEFAULT_L = 2

#: The mediation outcome of a case, from where it stands.
OUTCOME_OF_STATUS: dict[str, str] = {
    "submitted": "pending",
    "dispatched": "pending",
    "received": "pending",
    "undeliverable": "pending",
    "accepted": "in_mediation",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "closed_success": "success",
    "confirmation_requested": "success",
    "confirmed": "success",
    "confirmation_rejected": "success",
    "closed_failure": "failure",
    "arbitration_requested": "failure",
    "arbitrated": "failure",
    "litigation_requested": "failure",
    "litigation_filed": "failure",
    "litigation_not_filed": "failure",
}
_OUTCOME_GROUP = {
    "pending": "open",
    "in_mediation": "open",
    "rejected": "not_mediated",
    "withdrawn": "not_mediated",
    "success": "closed",
    "failure": "closed",
}


def decision_band(working_days: float) -> str:
    """Working days from dispatch to acceptance or rejection, as a band."""
    if working_days <= 1:
        return "0-1wd"
    if working_days <= 3:
        return "1-3wd"
    if working_days <= 7:
        return "3-7wd"
    return ">7wd"


def mediation_band(days: float) -> str:
    """Days from acceptance to closure, as a band."""
    if days <= 7:
        return "0-7d"
    if days <= 30:
        return "7-30d"
    if days <= 90:
        return "30-90d"
    return ">90d"


# ---------------------------------------------------------------------------------
# Leaf values of a masked record
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Static:
    month: str | None  # YYYY-MM
    district: str | None
    category: str | None
    channel: str | None
    amount: str | None  # band label or None
    respondent_kind: str | None  # person | organization | mixed


@dataclass(frozen=True)
class Progress:
    outcome: str
    decision: str | None
    mediation: str | None
    timeline: tuple[str, ...]
    reason_code: str | None
    remedy_kinds: tuple[str, ...]
    agreement_type: str | None
    referrals: tuple[tuple[str | None, str | None], ...]


def static_of(masked: Mapping[str, Any]) -> Static:
    kinds = {p.get("kind") for p in masked.get("respondents") or [] if isinstance(p, dict)}
    kinds.discard(None)
    respondent = None if not kinds else (kinds.pop() if len(kinds) == 1 else "mixed")
    return Static(
        month=masked.get("month"),
        district=masked.get("district"),
        category=masked.get("category"),
        channel=masked.get("channel"),
        amount=masked.get("amount"),
        respondent_kind=respondent,
    )


def progress_of(masked: Mapping[str, Any]) -> Progress:
    timeline = [e for e in masked.get("timeline") or [] if isinstance(e, dict)]
    reason = remedies = agreement = None
    for e in timeline:
        data = e.get("data") or {}
        if e.get("type") in ("rejected", "returned") and data.get("reason_code"):
            reason = data["reason_code"]
        if e.get("type") == "closed":
            remedies = tuple(sorted(data.get("remedy_kinds") or ())) or None
            agreement = (data.get("agreement") or {}).get("type")
    durations = masked.get("durations") or {}
    return Progress(
        outcome=str(masked.get("outcome") or "pending"),
        decision=durations.get("decision"),
        mediation=durations.get("mediation"),
        timeline=tuple(str(e.get("type")) for e in timeline),
        reason_code=reason,
        remedy_kinds=remedies or (),
        agreement_type=agreement,
        referrals=tuple(
            (r.get("kind"), r.get("outcome"))
            for r in masked.get("referrals") or []
            if isinstance(r, dict)
        ),
    )


# ---------------------------------------------------------------------------------
# Generalisation ladders
# ---------------------------------------------------------------------------------
#: Shanghai's central districts (中心城区); the others are the outer districts.
CENTRAL = frozenset({"310101", "310104", "310105", "310106", "310107", "310109", "310110"})
#: Dispute categories in groups (a category's group is released when it alone is too rare).
CATEGORY_GROUP = {
    "labor": "work",
    "consumer": "consumer",
    "tourism": "consumer",
    "family": "community",
    "neighbor": "community",
    "property_management": "community",
    "traffic": "injury",
    "medical": "injury",
    "loan": "economic",
    "finance": "economic",
    "commercial": "economic",
    "intellectual_property": "economic",
    "construction": "economic",
    "land_contract": "land",
    "other": "other",
}
_COARSE_AMOUNT = {
    "0-1000": "0-10000",
    "1000-10000": "0-10000",
    "10000-100000": ">10000",
    "100000-1000000": ">10000",
    ">1000000": ">10000",
}


def _quarter(month: str | None) -> str | None:
    if not month or len(month) != 7:
        return None
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _area(district: str | None) -> str | None:
    if district is None:
        return None
    return "central" if district in CENTRAL else "outer"


StaticLevel = Callable[[Static], dict[str, Any]]
ProgressLevel = Callable[[Progress], dict[str, Any]]

#: Static levels, finest first: what a record releases of its static quasi-identifiers.
STATIC_LEVELS: tuple[StaticLevel, ...] = (
    lambda s: {
        "month": s.month,
        "district": s.district,
        "category": s.category,
        "channel": s.channel,
        "amount": s.amount,
        "respondent_kind": s.respondent_kind,
    },
    lambda s: {
        "month": s.month,
        "district": s.district,
        "category": s.category,
        "amount": _COARSE_AMOUNT.get(s.amount or "", s.amount),
    },
    lambda s: {"month": s.month, "district": s.district, "category": s.category},
    lambda s: {
        "month": s.month,
        "district": s.district,
        "category_group": CATEGORY_GROUP.get(s.category or "", s.category),
    },
    lambda s: {
        "month": s.month,
        "area": _area(s.district),
        "category_group": CATEGORY_GROUP.get(s.category or "", s.category),
    },
    lambda s: {"quarter": _quarter(s.month), "area": _area(s.district)},
    lambda s: {"quarter": _quarter(s.month)},
)


def _coarse_decision(band: str | None) -> str | None:
    return None if band is None else ("0-3wd" if band in ("0-1wd", "1-3wd") else ">3wd")


def _coarse_mediation(band: str | None) -> str | None:
    return None if band is None else ("0-30d" if band in ("0-7d", "7-30d") else ">30d")


#: Progress levels, finest first; the last releases nothing but that the case changed.
PROGRESS_LEVELS: tuple[ProgressLevel, ...] = (
    lambda p: {
        "outcome": p.outcome,
        "decision_time": p.decision,
        "mediation_time": p.mediation,
        "timeline": list(p.timeline),
        "reason_code": p.reason_code,
        "remedy_kinds": list(p.remedy_kinds),
        "agreement_type": p.agreement_type,
        "referrals": [{"kind": k, "outcome": o} for k, o in p.referrals],
    },
    lambda p: {
        "outcome": p.outcome,
        "decision_time": p.decision,
        "mediation_time": p.mediation,
        "referrals": [{"kind": k, "outcome": o} for k, o in p.referrals],
    },
    lambda p: {
        "outcome": p.outcome,
        "decision_time": _coarse_decision(p.decision),
        "mediation_time": _coarse_mediation(p.mediation),
    },
    lambda p: {"outcome": p.outcome},
    lambda p: {"outcome_group": _OUTCOME_GROUP.get(p.outcome, "open")},
    lambda p: {},
)
TOP = len(PROGRESS_LEVELS) - 1


def _key(values: Mapping[str, Any]) -> str:
    """A canonical text of released values (the same in every process: no hash())."""
    return repr(sorted(values.items()))


def _hashable(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """Released values as a tuple to count with (a level's dict always has its keys in
    the same order); lists become tuples."""
    return tuple(
        (k, tuple(map(_freeze, v)) if isinstance(v, list) else v) for k, v in values.items()
    )


def _freeze(v: Any) -> Any:
    return tuple(v.items()) if isinstance(v, dict) else v


def trajectory_step(previous: str, values: Mapping[str, Any]) -> str:
    """The trajectory after releasing ``values``: a digest over everything released for
    the case, so that equal digests mean equal released histories."""
    return hashlib.sha256(f"{previous}|{_key(values)}".encode()).hexdigest()[:32]


# ---------------------------------------------------------------------------------
# The two decisions
# ---------------------------------------------------------------------------------
def assign_static(statics: Mapping[str, Static], k: int) -> dict[str, tuple[int, str]]:
    """New cases -> (static level, class key) for those that can be released in a class
    of at least ``k``; the others are absent (held back). Finest level first; the cases
    left over at one level try the next one together."""
    out: dict[str, tuple[int, str]] = {}
    left = dict(statics)
    for level, fn in enumerate(STATIC_LEVELS):
        groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for case, s in left.items():
            groups[tuple(fn(s).items())].append(case)
        for values, members in groups.items():
            if len(members) >= k:
                key = _key(dict(values))
                for case in members:
                    out[case] = (level, key)
                    del left[case]
        if not left:
            break
    return out


@dataclass(frozen=True)
class ClassRelease:
    """What a static class releases this round: one progress level for every member,
    each member's released progress values and new trajectory; or nothing (``level``
    None: the change is held back)."""

    level: int | None
    values: dict[str, dict[str, Any]]
    trajectories: dict[str, str]


def release_class(
    members: Mapping[str, Progress],
    trajectories: Mapping[str, str],
    k: int,
    l_diversity: int,
    previous_level: int | None,
) -> ClassRelease:
    """The progress release of one static class (every member, together): the finest
    level at which every member's new trajectory is shared by ``k`` members and the
    released outcomes of the class are ``l``-diverse. ``trajectories`` holds each
    member's trajectory so far ("" for a first release); ``previous_level`` is the level
    the class was last released at (None: never)."""
    leaf_outcomes = {p.outcome for p in members.values()}
    group_outcomes = {_OUTCOME_GROUP.get(o, "open") for o in leaf_outcomes}
    for level, fn in enumerate(PROGRESS_LEVELS):
        # l-diversity first: it needs no values (levels 0-3 release the outcome, 4 its group)
        if level < TOP and len(leaf_outcomes if level < 4 else group_outcomes) < l_diversity:
            continue
        values = {case: fn(p) for case, p in members.items()}
        # Equal (trajectory so far, values now) <=> equal trajectories after this step.
        pairs = Counter((trajectories.get(case, ""), _hashable(v)) for case, v in values.items())
        if min(pairs.values()) < k:
            continue
        if level == TOP and previous_level is not None and previous_level < TOP:
            return ClassRelease(None, {}, {})  # keep the finer release rather than blank it
        new = {case: trajectory_step(trajectories.get(case, ""), v) for case, v in values.items()}
        return ClassRelease(level, values, new)
    return ClassRelease(None, {}, {})  # unreachable: the top level is one trajectory step


def released_record(
    case: str,
    round_: str,
    first_round: str,
    static_level: int,
    static_values: Mapping[str, Any],
    progress_level: int,
    progress_values: Mapping[str, Any],
) -> dict[str, Any]:
    """The record the data bureau receives."""
    return {
        "case": case,
        "round": round_,
        "first_round": first_round,
        **static_values,
        **progress_values,
        "generalisation": {"static": static_level, "progress": progress_level},
    }
