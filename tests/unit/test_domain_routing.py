"""Routing of new cases to 解纷机构, and of referrals to the competent body."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from hub.domain.routing import (
    MEDIATION_KINDS,
    Candidate,
    InstitutionKind,
    choose_institution,
    competent_body,
)
from hub.domain.status import ReferralKind

XUHUI, PUDONG = "310104", "310115"


def inst(id: str, **changes: object) -> Candidate:
    base = Candidate(
        id=id,
        unit="sfj",
        kind="people_mediation",
        categories=frozenset({"neighbor", "consumer"}),
        districts=frozenset({XUHUI}),
        capacity=None,
        open_cases=0,
        active=True,
        visible=True,
        last_assigned_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def choose(cands: list[Candidate], **kw: object) -> str | None:
    args: dict[str, object] = {"category": "consumer", "district": XUHUI}
    args.update(kw)
    return choose_institution(cands, **args)  # type: ignore[arg-type]


def test_mediation_kinds() -> None:
    assert {
        "people_mediation", "administrative_mediation", "industry_mediation",
        "commercial_mediation",
    } == MEDIATION_KINDS  # fmt: skip


@pytest.mark.parametrize("kind", sorted(MEDIATION_KINDS))
def test_every_mediation_kind_is_routable(kind: str) -> None:
    assert choose([inst("a", kind=kind)]) == "a"


@pytest.mark.parametrize(
    "kind", ["court", "labor_arbitration", "commercial_arbitration", "land_arbitration"]
)
def test_courts_and_commissions_never_get_cases(kind: str) -> None:
    assert choose([inst("a", kind=kind)]) is None


@pytest.mark.parametrize(
    ("reason", "changes"),
    [
        ("inactive", {"active": False}),
        ("hidden", {"visible": False}),
        ("other category", {"categories": frozenset({"family"})}),
        ("other district", {"districts": frozenset({PUDONG})}),
        ("at capacity", {"capacity": 10, "open_cases": 10}),
        ("over capacity", {"capacity": 10, "open_cases": 12}),
        ("zero capacity", {"capacity": 0}),
    ],
)
def test_ineligible(reason: str, changes: dict[str, object]) -> None:
    assert choose([inst("a", **changes)]) is None, reason
    assert choose([inst("a", **changes), inst("b")]) == "b", reason


def test_excluded_never_chosen_even_if_preferred() -> None:
    cands = [inst("a"), inst("b", open_cases=5)]
    assert choose(cands, excluded=frozenset({"a"})) == "b"
    assert choose(cands, excluded=frozenset({"a"}), preferred="a") == "b"
    assert choose(cands, excluded=frozenset({"a", "b"})) is None


def test_empty() -> None:
    assert choose([]) is None


def test_preferred_wins_when_it_qualifies() -> None:
    cands = [inst("a"), inst("b", capacity=10, open_cases=9)]
    assert choose(cands, preferred="b") == "b"


@pytest.mark.parametrize(
    "changes",
    [
        {"capacity": 10, "open_cases": 10},
        {"districts": frozenset({PUDONG})},
        {"visible": False},
        {"kind": "court"},
    ],
)
def test_preferred_that_does_not_qualify_is_ignored(changes: dict[str, object]) -> None:
    assert choose([inst("a"), inst("b", **changes)], preferred="b") == "a"


def test_unknown_preferred_is_ignored() -> None:
    assert choose([inst("a")], preferred="nope") == "a"


def test_lowest_load_ratio_first() -> None:
    # a: 8/10 = 0.8; b: 30/100 = 0.3; c: no capacity -> 20/50 = 0.4
    cands = [
        inst("a", capacity=10, open_cases=8),
        inst("b", capacity=100, open_cases=30),
        inst("c", open_cases=20),
    ]
    assert choose(cands) == "b"


def test_no_capacity_counts_against_fifty() -> None:
    # c: 20/50 = 0.4 beats a: 5/10 = 0.5 although a has fewer open cases
    assert choose([inst("a", capacity=10, open_cases=5), inst("c", open_cases=20)]) == "c"


def test_equal_ratio_then_fewest_open_cases() -> None:
    # both 0.5
    assert (
        choose([inst("a", capacity=20, open_cases=10), inst("b", capacity=4, open_cases=2)]) == "b"
    )


def test_then_least_recently_assigned_never_first() -> None:
    early = datetime(2026, 3, 1, 9, tzinfo=UTC)
    late = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert choose([inst("a", last_assigned_at=late), inst("b", last_assigned_at=early)]) == "b"
    assert choose([inst("a", last_assigned_at=early), inst("b", last_assigned_at=None)]) == "b"


def test_last_ties_follow_the_case_never_the_id() -> None:
    """Equal in every respect: each case draws its own order, so no id is favoured."""
    firsts = {choose([inst("b"), inst("a"), inst("c")], salt=f"case-{n}") for n in range(60)}
    assert firsts == {"a", "b", "c"}
    again = choose([inst("c"), inst("a"), inst("b")], salt="case-7")
    assert again == choose([inst("a"), inst("b"), inst("c")], salt="case-7")  # reproducible


def test_the_specialist_fits_before_the_generalist() -> None:
    """A returned labour case: the district's labour mediation centre before a city-wide
    committee that also takes commercial and loan disputes (issue: tie by id chose it)."""
    centre = inst("xh-lab", kind="administrative_mediation", categories=frozenset({"labor"}))
    chamber = inst(
        "a-gsl",
        categories=frozenset({"commercial", "labor", "loan"}),
        districts=frozenset({XUHUI, PUDONG, "310101"}),
    )
    assert choose([chamber, centre], category="labor") == "xh-lab"
    # fit comes before load: the specialist is chosen while it has room
    busy = replace(centre, capacity=10, open_cases=9)
    assert choose([chamber, busy], category="labor") == "xh-lab"
    assert choose([chamber, replace(busy, open_cases=10)], category="labor") == "a-gsl"


def test_a_specialist_body_before_a_committee_and_local_before_city_wide() -> None:
    committee = inst("pm", categories=frozenset({"consumer", "tourism"}))
    industry = inst("zz-ind", kind="industry_mediation", categories=frozenset({"consumer", "x"}))
    assert choose([committee, industry]) == "zz-ind"
    local = inst("zz-local")
    wide = inst("aa-wide", districts=frozenset({XUHUI, PUDONG}))
    assert choose([wide, local]) == "zz-local"


def test_spread_round_robins_among_equals() -> None:
    """Assigning repeatedly and updating the snapshot spreads cases evenly."""
    cands = {c.id: c for c in (inst("a"), inst("b"), inst("c"))}
    seen = []
    for minute in range(9):
        chosen = choose(list(cands.values()), salt=f"case-{minute}")
        assert chosen is not None
        seen.append(chosen)
        c = cands[chosen]
        cands[chosen] = replace(
            c,
            open_cases=c.open_cases + 1,
            last_assigned_at=datetime(2026, 3, 1, 9, minute, tzinfo=UTC),
        )
    assert all(sorted(seen[i : i + 3]) == ["a", "b", "c"] for i in (0, 3, 6)), seen


# --- competent body --------------------------------------------------------------------

BODIES = [
    inst("court-xuhui", kind="court", unit=None, categories=frozenset(), visible=False),
    inst("court-pudong", kind="court", districts=frozenset({PUDONG})),
    inst(
        "court-city",
        kind="court",
        districts=frozenset({XUHUI, PUDONG, "310101"}),
        categories=frozenset({"finance"}),
    ),
    inst("lab-xuhui", kind="labor_arbitration", categories=frozenset({"labor"})),
    inst("lab-pudong", kind="labor_arbitration", districts=frozenset({PUDONG})),
    inst("shiac", kind="commercial_arbitration", districts=frozenset()),
    inst("old-court", kind="court", active=False),
]


def body(kind: ReferralKind, category: str = "consumer", district: str = XUHUI) -> str | None:
    return competent_body(BODIES, kind=kind, category=category, district=district)


@pytest.mark.parametrize("kind", [ReferralKind.JUDICIAL_CONFIRMATION, ReferralKind.LITIGATION])
def test_courts_by_district(kind: ReferralKind) -> None:
    assert body(kind) == "court-xuhui"  # hidden from the portal, still competent
    assert body(kind, district=PUDONG) == "court-pudong"
    assert body(kind, district="310101") == "court-city"  # only the city-level one covers it


def test_most_local_court_first() -> None:
    # court-city also covers Xuhui, but the district court is the more local one
    assert body(ReferralKind.LITIGATION, category="finance") == "court-xuhui"


def test_court_needs_district_match() -> None:
    assert body(ReferralKind.LITIGATION, district="310151") is None


def test_inactive_court_never_chosen() -> None:
    only_old = [c for c in BODIES if c.id == "old-court"]
    got = competent_body(
        only_old, kind=ReferralKind.LITIGATION, category="consumer", district=XUHUI
    )
    assert got is None


@pytest.mark.parametrize("kind", [ReferralKind.ARBITRATION, ReferralKind.ARBITRATION_CONFIRMATION])
def test_labor_goes_to_labor_arbitration(kind: ReferralKind) -> None:
    assert body(kind, category="labor") == "lab-xuhui"
    assert body(kind, category="labor", district=PUDONG) == "lab-pudong"
    # no labour commission for the district: fall back to any active one (city level),
    # preferring one that lists the category (lab-pudong does not)
    assert body(kind, category="labor", district="310151") == "lab-xuhui"


@pytest.mark.parametrize("kind", [ReferralKind.ARBITRATION, ReferralKind.ARBITRATION_CONFIRMATION])
def test_other_categories_go_to_commercial_arbitration(kind: ReferralKind) -> None:
    assert body(kind, category="consumer") == "shiac"
    assert body(kind, category="commercial", district=PUDONG) == "shiac"


def test_no_body_of_the_kind() -> None:
    courts_only = [c for c in BODIES if c.kind == InstitutionKind.COURT]
    got = competent_body(
        courts_only, kind=ReferralKind.ARBITRATION, category="consumer", district=XUHUI
    )
    assert got is None


def test_candidate_is_frozen() -> None:
    with pytest.raises(AttributeError):
        inst("a").open_cases = 3  # type: ignore[misc]
