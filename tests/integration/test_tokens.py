"""Token issue refuses parties that would let a token read someone else's feed."""

from __future__ import annotations

import pytest

from hub.services.errors import Invalid
from tests.support.api import Api, issue_token


@pytest.mark.parametrize(
    ("role", "party"),
    [
        ("portal", "pm-a"),  # an institution's id: the portal would read its feed
        ("portal", "sfj"),  # a unit's id
        ("portal", "notify"),  # the applicant notices' destination
        ("portal", "east|portal"),  # not an identifier: it would be a queue name
        ("databureau", "pm-a"),
        ("institution", None),
        ("court", "pm-a"),  # not a court
        ("unit", "nobody"),
        ("auditor", None),  # no such role
        ("admin", "sfj"),  # an admin token bound to a party (issue 12 item 3)
        ("institution", "court-310104"),  # a court is no mediation institution
        ("institution", "arb-commercial"),
        ("arbitration", "cm-x"),
        ("portal", "hub"),  # the hub's own namespaces
        ("portal", "notify-sms"),
        ("portal", "units"),
        ("portal", "admin-1"),
    ],
)
def test_issue_refuses(api: Api, role: str, party: str | None) -> None:
    with pytest.raises(Invalid):
        issue_token(api.ctx, role, party)


@pytest.mark.parametrize(
    ("role", "party"),
    [
        ("portal", "portal"),
        ("portal", "portal-b"),  # the portal namespace is the portals' own
        ("portal", "east-portal"),
        ("institution", "cm-x"),
        ("court", "court-310104"),
        ("arbitration", "arb-labor"),
        ("unit", "xbw"),
        ("admin", None),
        ("databureau", None),
    ],
)
def test_issue_takes(api: Api, role: str, party: str | None) -> None:
    assert issue_token(api.ctx, role, party).startswith("om_")


def test_a_portal_token_reads_only_its_own_feed(api: Api) -> None:
    token = issue_token(api.ctx, "portal", "suishenban")
    r = api.client.get("/v1/feed", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["messages"] == []
