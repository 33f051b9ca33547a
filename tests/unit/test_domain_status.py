"""The case status machine: every (status, event) pair, referrals and their results."""

import itertools

import pytest

from hub.domain.errors import DomainError, InvalidTransition, NotAllowed
from hub.domain.status import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    EventType,
    ReferralKind,
    Status,
    can_dispatch_by_unit,
    can_withdraw,
    next_status_for_event,
    status_for_referral_request,
    status_for_referral_result,
)

S, E, K = Status, EventType, ReferralKind

# The table, written out independently of the implementation.
ALLOWED_EVENTS: dict[tuple[Status, EventType], Status] = {
    (S.DISPATCHED, E.RECEIVED): S.RECEIVED,
    (S.DISPATCHED, E.ACCEPTED): S.ACCEPTED,
    (S.RECEIVED, E.ACCEPTED): S.ACCEPTED,
    (S.DISPATCHED, E.REJECTED): S.REJECTED,
    (S.RECEIVED, E.REJECTED): S.REJECTED,
    (S.DISPATCHED, E.RETURNED): S.SUBMITTED,
    (S.RECEIVED, E.RETURNED): S.SUBMITTED,
    (S.RECEIVED, E.RESPONDENT_CONTACTED): S.RECEIVED,
    (S.ACCEPTED, E.RESPONDENT_CONTACTED): S.ACCEPTED,
    (S.ACCEPTED, E.CLOSED): S.CLOSED_SUCCESS,  # with outcome "success"
}
ALL_PAIRS = list(itertools.product(Status, EventType))


def test_the_statuses_of_interface_4() -> None:
    assert {s.value for s in Status} == {
        "submitted", "dispatched", "received", "accepted", "rejected", "closed_success",
        "closed_failure", "withdrawn", "undeliverable", "confirmation_requested", "confirmed",
        "confirmation_rejected", "arbitration_requested", "arbitrated",
        "litigation_requested", "litigation_filed", "litigation_not_filed",
    }  # fmt: skip
    assert Status("accepted") is S.ACCEPTED and S.ACCEPTED == "accepted"


def test_open_and_final_sets() -> None:
    assert OPEN_STATUSES.isdisjoint(FINAL_STATUSES)
    assert {S.SUBMITTED, S.DISPATCHED, S.RECEIVED, S.ACCEPTED, S.UNDELIVERABLE} == OPEN_STATUSES
    assert {S.REJECTED, S.WITHDRAWN, S.CONFIRMED} <= FINAL_STATUSES
    # closed cases that may still be handed on are not final
    assert not {S.CLOSED_SUCCESS, S.CLOSED_FAILURE, S.CONFIRMATION_REJECTED} & FINAL_STATUSES


@pytest.mark.parametrize(("current", "event"), ALL_PAIRS, ids=lambda v: str(v))
def test_every_status_event_pair(current: Status, event: EventType) -> None:
    data = {"outcome": "success"} if event is E.CLOSED else {}
    expected = ALLOWED_EVENTS.get((current, event))
    if expected is not None:
        assert next_status_for_event(current, event, data) is expected
    else:
        with pytest.raises(InvalidTransition) as info:
            next_status_for_event(current, event, data)
        assert info.value.current is current
        assert info.value.attempted == event.value
        assert str(current) in str(info.value)


#: Data each event would be accepted with where it is allowed, so a refusal below is about
#: the status and never about the data.
VALID_DATA: dict[EventType, dict[str, object]] = {
    E.CLOSED: {"outcome": "success"},
    E.REJECTED: {"reason": "不属于受理范围"},
    E.RETURNED: {"reason": "不属于本机构受理范围"},
    E.RESPONDENT_CONTACTED: {"willing": True},
}


@pytest.mark.parametrize("current", sorted(FINAL_STATUSES), ids=str)
def test_no_event_is_allowed_in_a_final_status(current: Status) -> None:
    """Asked of the implementation, not of the table above: in a final status every
    institution event is refused, and neither withdrawal nor dispatch by hand is open."""
    for event in EventType:
        with pytest.raises(InvalidTransition):
            next_status_for_event(current, event, VALID_DATA.get(event, {}))
    assert not can_withdraw(current)
    assert not can_dispatch_by_unit(current)


def test_closed_outcomes() -> None:
    assert next_status_for_event(S.ACCEPTED, E.CLOSED, {"outcome": "success"}) is S.CLOSED_SUCCESS
    got = next_status_for_event(S.ACCEPTED, E.CLOSED, {"outcome": "failure", "remedies": "诉讼"})
    assert got is S.CLOSED_FAILURE


@pytest.mark.parametrize("data", [{}, {"outcome": "partial"}, {"outcome": None}, {"outcome": []}])
def test_closed_with_bad_outcome(data: dict[str, object]) -> None:
    with pytest.raises(NotAllowed) as info:
        next_status_for_event(S.ACCEPTED, E.CLOSED, data)
    assert info.value.pointer == "/data/outcome"


def test_wrong_status_wins_over_bad_outcome() -> None:
    with pytest.raises(InvalidTransition):
        next_status_for_event(S.RECEIVED, E.CLOSED, {})


def test_plain_strings_are_accepted() -> None:
    assert next_status_for_event("dispatched", "received", {}) is S.RECEIVED  # type: ignore[arg-type]


@pytest.mark.parametrize("current", list(Status), ids=str)
def test_can_withdraw(current: Status) -> None:
    allowed = {S.SUBMITTED, S.DISPATCHED, S.RECEIVED, S.ACCEPTED, S.UNDELIVERABLE}
    assert can_withdraw(current) is (current in allowed)


@pytest.mark.parametrize("current", list(Status), ids=str)
def test_can_dispatch_by_unit(current: Status) -> None:
    allowed = {S.SUBMITTED, S.UNDELIVERABLE, S.DISPATCHED, S.RECEIVED}
    assert can_dispatch_by_unit(current) is (current in allowed)


# --- referrals ---------------------------------------------------------------------------

REFERRAL_FROM: dict[ReferralKind, set[Status]] = {
    K.JUDICIAL_CONFIRMATION: {S.CLOSED_SUCCESS},
    K.ARBITRATION_CONFIRMATION: {S.CLOSED_SUCCESS},
    K.ARBITRATION: {S.CLOSED_FAILURE},
    K.LITIGATION: {S.CLOSED_FAILURE, S.CONFIRMATION_REJECTED, S.ARBITRATED},
}
REFERRAL_TO = {
    K.JUDICIAL_CONFIRMATION: S.CONFIRMATION_REQUESTED,
    K.ARBITRATION_CONFIRMATION: S.CONFIRMATION_REQUESTED,
    K.ARBITRATION: S.ARBITRATION_REQUESTED,
    K.LITIGATION: S.LITIGATION_REQUESTED,
}


@pytest.mark.parametrize(
    ("current", "kind", "agreement"),
    list(itertools.product(Status, ReferralKind, [True, False])),
    ids=str,
)
def test_every_referral_request(current: Status, kind: ReferralKind, agreement: bool) -> None:
    if current not in REFERRAL_FROM[kind]:
        with pytest.raises(InvalidTransition) as info:
            status_for_referral_request(current, kind, agreement)
        assert info.value.current is current
        assert info.value.attempted == kind.value
    elif kind is K.ARBITRATION and not agreement:
        with pytest.raises(NotAllowed) as refused:
            status_for_referral_request(current, kind, agreement)
        assert refused.value.pointer == "/kind"
    else:
        assert status_for_referral_request(current, kind, agreement) is REFERRAL_TO[kind]


OUTCOMES = ["confirmed", "rejected", "award", "dismissed", "filed", "not_filed", "", "CONFIRMED"]
RESULTS = {
    (K.JUDICIAL_CONFIRMATION, "confirmed"): S.CONFIRMED,
    (K.JUDICIAL_CONFIRMATION, "rejected"): S.CONFIRMATION_REJECTED,
    (K.ARBITRATION_CONFIRMATION, "confirmed"): S.CONFIRMED,
    (K.ARBITRATION_CONFIRMATION, "rejected"): S.CONFIRMATION_REJECTED,
    (K.ARBITRATION, "award"): S.ARBITRATED,
    (K.ARBITRATION, "dismissed"): S.ARBITRATED,
    (K.LITIGATION, "filed"): S.LITIGATION_FILED,
    (K.LITIGATION, "not_filed"): S.LITIGATION_NOT_FILED,
}


@pytest.mark.parametrize(("kind", "outcome"), list(itertools.product(ReferralKind, OUTCOMES)))
def test_every_referral_result(kind: ReferralKind, outcome: str) -> None:
    expected = RESULTS.get((kind, outcome))
    if expected is not None:
        assert status_for_referral_result(kind, outcome) is expected
    else:
        with pytest.raises(NotAllowed) as info:
            status_for_referral_result(kind, outcome)
        assert info.value.pointer == "/outcome"


def test_errors_are_domain_errors() -> None:
    err = InvalidTransition(S.WITHDRAWN, "accepted")
    assert isinstance(err, DomainError) and err.current is S.WITHDRAWN
    assert err.attempted == "accepted"
    assert NotAllowed("no").pointer is None
    assert issubclass(NotAllowed, DomainError)
