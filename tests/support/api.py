"""Helpers for the integration tests: known parties, an in-process API client, row counts.

Numbers' check characters come from `schemas.identity` (`check_character`), the one
implementation, held to worked examples in tests/unit/test_domain_numbering.py.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from starlette.testclient import TestClient

from hub.services import tokens
from hub.services.context import HubContext
from hub.store.models import OutboxMessage
from hub.store.outbox import open_envelope
from schemas.identity import mod11_2
from tests.support.builders import (  # re-exported: the tests have long imported them here
    APPLICANT_ID,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    CLAIMS,
    FACTS,
    PERSONAL_VALUES,
    RESPONDENT_NAME,
    RESPONDENT_PHONE,
    RESPONDENT_USCC,
    application_body,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SMALL_REGISTRY = FIXTURES / "small_registry.yaml"
#: Monday 23 November 2026, 10:00 in Shanghai: an ordinary working day.
MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

#: Tables a rejected request must leave untouched.
WRITE_TABLES = ("application", "case_event", "outbox", "audit_entry", "day_sequence")


def issue_token(
    ctx: HubContext,
    role: str,
    party: str | None = None,
    label: str | None = None,
    expires_days: int | None = None,
) -> str:
    """A token issued as `hub token issue` does: in a unit of work of its own."""
    return ctx.db.run(lambda s: tokens.issue(ctx, s, role, party, label, expires_days))


#: ISO 7064 MOD 11-2 over any digit string: the one implementation (`schemas.identity`);
#: tests/unit/test_domain_numbering.py checks it against worked examples.
check_character = mod11_2


def number_is_valid(no: str) -> bool:
    digits = no.replace("-", "")
    return len(digits) == 21 and check_character(digits[:20]) == digits[20].upper()


def make_number(day: str, sequence: int, region: str = "310000") -> str:
    digits = f"{region}{day}{sequence:06d}"
    return f"{region}-{day}-{sequence:06d}-{check_character(digits)}"


def wrong_check(no: str) -> str:
    """The same number with a different (so wrong) check character."""
    last = no[-1].upper()
    return no[:-1] + ("0" if last != "0" else "1")


def count_rows(ctx: HubContext, tables: tuple[str, ...] = WRITE_TABLES) -> dict[str, int]:
    with ctx.db.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }


def count_changes(ctx: HubContext, tables: tuple[str, ...] = WRITE_TABLES) -> dict[str, int]:
    """`count_rows`, but audit entries that only record a read of personal data (a page
    shown again with a refusal is read again) are not changes."""
    counts = count_rows(ctx, tuple(t for t in tables if t != "audit_entry"))
    if "audit_entry" in tables:
        with ctx.db.engine.connect() as conn:
            counts["audit_entry"] = int(
                conn.execute(
                    text("SELECT count(*) FROM audit_entry WHERE action NOT LIKE '%.read'")
                ).scalar_one()
            )
    return counts


def outbox_envelopes(ctx: HubContext, destination: str) -> list[dict[str, Any]]:
    from sqlmodel import col, select

    with ctx.db.read() as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.destination == destination)
            .order_by(col(OutboxMessage.party_seq))
        ).all()
        return [open_envelope(ctx.vault, r) for r in rows]


#: Every party of the small registry the tests act as.
PARTIES: tuple[tuple[str, str | None], ...] = (
    ("portal", "portal"),
    ("portal", "another-portal"),
    ("institution", "pm-a"),
    ("institution", "pm-b"),
    ("institution", "cm-x"),
    ("court", "court-310104"),
    ("arbitration", "arb-commercial"),
    ("arbitration", "arb-labor"),
    ("unit", "sfj"),
    ("unit", "xbw"),
    ("admin", None),
    ("databureau", None),
)


class Api:
    """A TestClient over the hub with tokens issued on demand per (role, party)."""

    def __init__(
        self,
        ctx: HubContext,
        client: TestClient,
        tokens: dict[tuple[str, str | None], str] | None = None,
    ) -> None:
        self.ctx = ctx
        self.client = client
        self._tokens: dict[tuple[str, str | None], str] = dict(tokens or {})
        for role, party in PARTIES:  # issued up front: issuing writes an audit entry
            self.token(role, party)

    def token(self, role: str, party: str | None = None) -> str:
        if role == "portal" and party is None:
            party = "portal"
        key = (role, party)
        if key not in self._tokens:
            self._tokens[key] = issue_token(self.ctx, role, party)
        return self._tokens[key]

    def auth(self, role: str, party: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, party)}", **extra}

    def submit(
        self,
        body: dict[str, Any] | None = None,
        *,
        role: str = "portal",
        party: str | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        headers = self.auth(role, party)
        if key:
            headers["Idempotency-Key"] = key
        return self.client.post(
            "/v1/applications", json=body or application_body(), headers=headers
        )

    def submitted(self, **over: Any) -> dict[str, Any]:
        r = self.submit(application_body(**over))
        assert r.status_code == 201, r.text
        return dict(r.json())

    def event(
        self,
        no: str,
        institution: str,
        type: str,
        data: dict[str, Any] | None = None,
        event_id: str | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {"event_id": event_id or str(uuid.uuid4()), "type": type}
        if data is not None:
            body["data"] = data
        return self.client.post(
            f"/v1/applications/{no}/events",
            json=body,
            headers=self.auth("institution", institution),
        )

    def ok_event(
        self, no: str, institution: str, type: str, data: dict[str, Any] | None = None
    ) -> str:
        r = self.event(no, institution, type, data)
        assert r.status_code == 201, r.text
        return str(r.json()["status"])

    def record(self, no: str, role: str = "admin", party: str | None = None) -> httpx.Response:
        return self.client.get(f"/v1/applications/{no}", headers=self.auth(role, party))

    def feed(self, role: str, party: str | None = None, **params: Any) -> httpx.Response:
        return self.client.get("/v1/feed", params=params, headers=self.auth(role, party))


__all__ = [
    "APPLICANT_ID",
    "APPLICANT_NAME",
    "APPLICANT_PHONE",
    "CLAIMS",
    "FACTS",
    "PERSONAL_VALUES",
    "RESPONDENT_NAME",
    "RESPONDENT_PHONE",
    "RESPONDENT_USCC",
    "Api",
    "application_body",
    "count_changes",
    "count_rows",
    "make_number",
    "number_is_valid",
    "outbox_envelopes",
    "wrong_check",
]


def close_case(api: Api, no: str, inst: str, success: bool) -> None:
    """Close case `no` at `inst`: settled with an agreement, or rejected (incomplete)."""
    api.ok_event(no, inst, "received")
    if not success:
        api.ok_event(
            no, inst, "rejected", {"reason": f"{APPLICANT_NAME}不配合", "reason_code": "incomplete"}
        )
        return
    api.ok_event(no, inst, "accepted")
    api.ok_event(
        no,
        inst,
        "closed",
        {
            "outcome": "success",
            "agreement": {"summary": f"{RESPONDENT_NAME}退款三千元", "type": "payment"},
        },
    )
