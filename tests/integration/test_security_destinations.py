"""Messages go by the kind of party, never by a bare id a registry entry can claim
(issue 12, item 3; hub.domain.destinations, hub.delivery.directory, migration 0120)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from hub.delivery.directory import Directory, Route
from hub.delivery.settings import DeliverySettings
from hub.domain import destinations
from hub.store.db import Database
from hub.store.migrate import upgrade
from hub.store.models import Institution, Unit
from tests.support.api import Api, application_body, issue_token


def _squat(api: Api, ident: str) -> None:
    """An institution an older build let in under a name the hub uses, with a webhook."""
    with api.ctx.db.transaction() as s:
        s.add(
            Institution(
                id=ident,
                name="某调解中心",
                kind="people_mediation",
                unit_id="sfj",
                categories=["other"],
                districts=["310151"],
                delivery={"kind": "webhook", "url": "https://attacker.example/hook"},
                updated_at=datetime.now(UTC),
            )
        )


def _feed(api: Api, token: str) -> list[dict[str, Any]]:
    r = api.client.get("/v1/feed", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return list(r.json()["messages"])


def test_an_institution_named_notify_gets_no_applicant_notice(api: Api) -> None:
    _squat(api, "notify")
    squatter = issue_token(api.ctx, "institution", "notify")
    no = api.submitted()["application_no"]
    settings = replace(DeliverySettings(), portal_url="https://portal.example/push")
    directory = Directory(api.ctx, settings)
    assert directory.party(destinations.NOTIFY).route is Route.NOTIFY
    assert directory.party(destinations.institution("notify")).route is Route.WEBHOOK
    assert all(m["application_no"] != no for m in _feed(api, squatter))  # nothing of the case
    notices = [
        m
        for m in _feed(api, issue_token(api.ctx, "institution", "pm-a"))
        if m["type"].startswith("notice.")
    ]
    assert notices == []  # notices are the hub's, never in an institution's feed
    with api.ctx.db.read() as s:
        kinds = {
            r[0]
            for r in s.connection().execute(
                text("SELECT destination FROM outbox WHERE application_no = :no"), {"no": no}
            )
        }
    assert destinations.NOTIFY in kinds and "notify" not in kinds
    assert all(destinations.is_qualified(d) for d in kinds)


def test_an_institution_named_as_a_portal_gets_nothing_of_the_portals(api: Api) -> None:
    portal_b = issue_token(api.ctx, "portal", "portal-b")
    _squat(api, "portal-b")  # registered after the portal's token was issued
    squatter = issue_token(api.ctx, "institution", "portal-b")
    r = api.client.post(
        "/v1/applications",
        json=application_body(),
        headers={"Authorization": f"Bearer {portal_b}"},
    )
    assert r.status_code == 201, r.text
    no = r.json()["application_no"]
    assert [m["type"] for m in _feed(api, portal_b) if m["application_no"] == no]
    assert _feed(api, squatter) == []
    settings = replace(DeliverySettings(), portal_url="https://portal.example/push")
    directory = Directory(api.ctx, settings)
    assert directory.party(destinations.portal("portal-b")).route is Route.PORTAL
    assert directory.party(destinations.institution("portal-b")).route is Route.WEBHOOK


def test_a_units_messages_are_its_feed_not_a_portal_push(api: Api) -> None:
    settings = replace(DeliverySettings(), portal_url="https://portal.example/push")
    directory = Directory(api.ctx, settings)
    assert directory.party(destinations.unit("sfj")).route is Route.FEED
    assert directory.party(destinations.ADMIN).route is Route.FEED


@pytest.mark.empty_database
def test_migration_0120_qualifies_stored_destinations(database_url: str) -> None:
    upgrade(database_url, "0151")
    db = Database(database_url)
    try:
        rows = [("notify", 1), ("pm-a", 2), ("sfj", 3), ("portal", 4), ("admin", 5)]
        _registry_rows(db)
        with db.engine.begin() as conn:
            for dest, n in rows:
                conn.execute(
                    text(
                        "INSERT INTO outbox (id, message_id, destination, party_seq, type, "
                        "envelope, occurred_at, created_at) VALUES (:n, :m, :d, 1, 't', 'x', "
                        ":at, :at)"
                    ),
                    {"n": n, "m": f"m-{n}", "d": dest, "at": datetime(2026, 11, 23)},
                )
                conn.execute(
                    text("INSERT INTO outbox_pending (outbox_id, destination) VALUES (:n, :d)"),
                    {"n": n, "d": dest},
                )
                conn.execute(
                    text("INSERT INTO party_sequence (party, last) VALUES (:d, 1)"), {"d": dest}
                )
        upgrade(database_url, "0120")
        with db.engine.connect() as conn:
            for table, column in (
                ("outbox", "destination"),
                ("outbox_pending", "destination"),
                ("party_sequence", "party"),
            ):
                got = sorted(r[0] for r in conn.execute(text(f"SELECT {column} FROM {table}")))
                assert got == [
                    "hub:admin",
                    "hub:notify",  # the hub's, though an institution had taken the name
                    "institution:pm-a",
                    "portal:portal",
                    "unit:sfj",
                ], table
    finally:
        db.dispose()
        upgrade(database_url)


def _registry_rows(db: Database) -> None:
    at = datetime(2026, 11, 23, tzinfo=UTC)
    with db.transaction() as s:
        s.add(Unit(id="sfj", name="市司法局", updated_at=at))
        for ident in ("pm-a", "notify"):
            s.add(
                Institution(
                    id=ident,
                    name="某调解委员会",
                    kind="people_mediation",
                    unit_id="sfj",
                    updated_at=at,
                )
            )
