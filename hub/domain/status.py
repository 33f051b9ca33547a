"""The case status machine (INTERFACE 4, 5, 7): pure functions over `Status`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from hub.domain.errors import InvalidTransition, NotAllowed


class Status(StrEnum):
    """Every status an application (办件) can be in."""

    SUBMITTED = "submitted"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CLOSED_SUCCESS = "closed_success"
    CLOSED_FAILURE = "closed_failure"
    WITHDRAWN = "withdrawn"
    UNDELIVERABLE = "undeliverable"
    CONFIRMATION_REQUESTED = "confirmation_requested"
    CONFIRMED = "confirmed"
    CONFIRMATION_REJECTED = "confirmation_rejected"
    ARBITRATION_REQUESTED = "arbitration_requested"
    ARBITRATED = "arbitrated"
    LITIGATION_REQUESTED = "litigation_requested"
    LITIGATION_FILED = "litigation_filed"
    LITIGATION_NOT_FILED = "litigation_not_filed"


_S = Status

#: Before closure: the case is with the hub, a unit or an institution (counts as its load).
OPEN_STATUSES: frozenset[Status] = frozenset(
    {_S.SUBMITTED, _S.DISPATCHED, _S.RECEIVED, _S.ACCEPTED, _S.UNDELIVERABLE}
)
#: Nothing can follow. Statuses in neither set are closed but may still be handed on
#: (closed_*, confirmation_rejected, arbitrated) or are waiting for a court/commission.
FINAL_STATUSES: frozenset[Status] = frozenset(
    {_S.REJECTED, _S.WITHDRAWN, _S.CONFIRMED, _S.LITIGATION_FILED, _S.LITIGATION_NOT_FILED}
)


class EventType(StrEnum):
    """Institution events (INTERFACE 5)."""

    RECEIVED = "received"
    RESPONDENT_CONTACTED = "respondent_contacted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RETURNED = "returned"
    CLOSED = "closed"


class ReferralKind(StrEnum):
    """Hand-offs to courts and commissions (INTERFACE 7)."""

    JUDICIAL_CONFIRMATION = "judicial_confirmation"
    ARBITRATION_CONFIRMATION = "arbitration_confirmation"
    ARBITRATION = "arbitration"
    LITIGATION = "litigation"


_EVENT_FROM: dict[EventType, frozenset[Status]] = {
    EventType.RECEIVED: frozenset({_S.DISPATCHED}),
    EventType.ACCEPTED: frozenset({_S.DISPATCHED, _S.RECEIVED}),
    EventType.REJECTED: frozenset({_S.DISPATCHED, _S.RECEIVED}),
    EventType.RETURNED: frozenset({_S.DISPATCHED, _S.RECEIVED}),
    EventType.RESPONDENT_CONTACTED: frozenset({_S.RECEIVED, _S.ACCEPTED}),
    EventType.CLOSED: frozenset({_S.ACCEPTED}),
}
_EVENT_TO: dict[EventType, Status] = {
    EventType.RECEIVED: _S.RECEIVED,
    EventType.ACCEPTED: _S.ACCEPTED,
    EventType.REJECTED: _S.REJECTED,
    EventType.RETURNED: _S.SUBMITTED,
}
_CLOSE_OUTCOMES = {"success": _S.CLOSED_SUCCESS, "failure": _S.CLOSED_FAILURE}

_WITHDRAWABLE = frozenset({_S.SUBMITTED, _S.DISPATCHED, _S.RECEIVED, _S.ACCEPTED, _S.UNDELIVERABLE})
_UNIT_DISPATCHABLE = frozenset({_S.SUBMITTED, _S.UNDELIVERABLE, _S.DISPATCHED, _S.RECEIVED})

_REFERRAL_FROM: dict[ReferralKind, frozenset[Status]] = {
    ReferralKind.JUDICIAL_CONFIRMATION: frozenset({_S.CLOSED_SUCCESS}),
    ReferralKind.ARBITRATION_CONFIRMATION: frozenset({_S.CLOSED_SUCCESS}),
    ReferralKind.ARBITRATION: frozenset({_S.CLOSED_FAILURE}),
    ReferralKind.LITIGATION: frozenset(
        {_S.CLOSED_FAILURE, _S.CONFIRMATION_REJECTED, _S.ARBITRATED}
    ),
}
_REFERRAL_TO: dict[ReferralKind, Status] = {
    ReferralKind.JUDICIAL_CONFIRMATION: _S.CONFIRMATION_REQUESTED,
    ReferralKind.ARBITRATION_CONFIRMATION: _S.CONFIRMATION_REQUESTED,
    ReferralKind.ARBITRATION: _S.ARBITRATION_REQUESTED,
    ReferralKind.LITIGATION: _S.LITIGATION_REQUESTED,
}
_CONFIRMATION_RESULTS = {"confirmed": _S.CONFIRMED, "rejected": _S.CONFIRMATION_REJECTED}
_REFERRAL_RESULTS: dict[ReferralKind, dict[str, Status]] = {
    ReferralKind.JUDICIAL_CONFIRMATION: _CONFIRMATION_RESULTS,
    ReferralKind.ARBITRATION_CONFIRMATION: _CONFIRMATION_RESULTS,
    ReferralKind.ARBITRATION: {"award": _S.ARBITRATED, "dismissed": _S.ARBITRATED},
    ReferralKind.LITIGATION: {
        "filed": _S.LITIGATION_FILED,
        "not_filed": _S.LITIGATION_NOT_FILED,
    },
}

#: In Chinese, for the refusals below (each half of a message in one language).
_KIND_WORDS: dict[ReferralKind, str] = {
    ReferralKind.JUDICIAL_CONFIRMATION: "司法确认",
    ReferralKind.ARBITRATION_CONFIRMATION: "仲裁确认",
    ReferralKind.ARBITRATION: "仲裁",
    ReferralKind.LITIGATION: "诉讼",
}
_OUTCOME_WORDS = {
    "confirmed": "确认有效",
    "rejected": "驳回申请",
    "award": "作出裁决",
    "dismissed": "驳回仲裁申请",
    "filed": "立案",
    "not_filed": "不予立案",
}


def next_status_for_event(current: Status, event: EventType, data: Mapping[str, Any]) -> Status:
    """The status after an institution event.

    ``respondent_contacted`` keeps the status; ``returned`` answers ``SUBMITTED`` (the
    service re-routes); ``closed`` reads ``data["outcome"]`` (``success`` | ``failure``).
    Raises `InvalidTransition`, or `NotAllowed` (pointer ``/data/outcome``) for a bad outcome.
    """
    current, event = Status(current), EventType(event)
    if current not in _EVENT_FROM[event]:
        raise InvalidTransition(current, event)
    if event is EventType.RESPONDENT_CONTACTED:
        return current
    if event is EventType.CLOSED:
        outcome = data.get("outcome")
        if not isinstance(outcome, str) or outcome not in _CLOSE_OUTCOMES:
            raise NotAllowed(
                "结案结果须为调解成功或调解失败 / outcome must be 'success' or 'failure'",
                pointer="/data/outcome",
            )
        return _CLOSE_OUTCOMES[outcome]
    return _EVENT_TO[event]


def possible_events(current: Status) -> list[EventType]:
    """The institution events the status allows, in the order a case meets them."""
    return [e for e in EventType if Status(current) in _EVENT_FROM[e]]


def possible_referrals(current: Status, arbitration_agreement: bool) -> list[ReferralKind]:
    """The hand-offs the status (and the arbitration agreement) allows."""
    kinds = []
    for kind in ReferralKind:
        try:
            status_for_referral_request(current, kind, arbitration_agreement)
        except (InvalidTransition, NotAllowed):
            continue
        kinds.append(kind)
    return kinds


def can_withdraw(current: Status) -> bool:
    """Whether the applicant may still withdraw (before closure)."""
    return current in _WITHDRAWABLE


def can_dispatch_by_unit(current: Status) -> bool:
    """Whether a supervising unit may (re)dispatch the case by hand."""
    return current in _UNIT_DISPATCHABLE


def status_for_referral_request(
    current: Status, kind: ReferralKind, arbitration_agreement: bool
) -> Status:
    """The status once a referral of `kind` is requested.

    Raises `InvalidTransition` if the status does not allow it, and `NotAllowed`
    (pointer ``/kind``) for arbitration without an arbitration agreement.
    """
    current, kind = Status(current), ReferralKind(kind)
    if current not in _REFERRAL_FROM[kind]:
        raise InvalidTransition(current, kind)
    if kind is ReferralKind.ARBITRATION and not arbitration_agreement:
        raise NotAllowed(
            "申请仲裁须有仲裁协议 / arbitration needs an arbitration agreement", pointer="/kind"
        )
    return _REFERRAL_TO[kind]


def status_for_referral_result(kind: ReferralKind, outcome: str) -> Status:
    """The status a court's or commission's result moves the case to.

    Raises `NotAllowed` (pointer ``/outcome``) if the outcome does not fit the kind.
    """
    results = _REFERRAL_RESULTS[ReferralKind(kind)]
    if not isinstance(outcome, str) or outcome not in results:
        allowed = ", ".join(sorted(results))
        words = "、".join(_OUTCOME_WORDS[r] for r in sorted(results))
        raise NotAllowed(
            f"{_KIND_WORDS[kind]}的结果须为{words}之一 / outcome for {kind} must be one of: "
            f"{allowed}",
            pointer="/outcome",
        )
    return results[outcome]


__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "EventType",
    "ReferralKind",
    "Status",
    "can_dispatch_by_unit",
    "can_withdraw",
    "next_status_for_event",
    "possible_events",
    "possible_referrals",
    "status_for_referral_request",
    "status_for_referral_result",
]
