"""Parties that publish their events on the broker instead of calling the HTTP API.

A party publishes to the `{prefix}.inbound` exchange with routing key `events.<its id>`
(RabbitMQ topic permissions let each party's user write only its own key), a unique
`message_id`, and `type`:

    event            {"application_no", "event_id", "type", "data"}      (INTERFACE 5)
    referral_result  {"referral_id", "outcome", "case_no"?, "decided_on", "document"?}  (7)

The effect and an inbox row (`inbox`, consumer `inbound`, key = sha256 of party and
message_id) commit in one transaction, and only then is the message acked: a repeated
`message_id` finds its inbox row and has no second effect. A message the hub refuses (wrong
state, unknown case, invalid body) is answered on `reply_to` when given, else dead-lettered
with its reason.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.exc import IntegrityError

import schemas
from hub import jsonutil
from hub.delivery.message import Delivery
from hub.delivery.outcomes import Dead, Delivered, Forward, Outcome
from hub.logsafety import get_logger
from hub.services import lifecycle, referrals
from hub.services.context import HubContext
from hub.services.errors import ServiceError
from hub.services.principal import Principal, Role
from hub.store.models import InboxRecord, Institution
from schemas import text

log = get_logger("hub.inbound")
CONSUMER = "inbound"


def inbox_key(party: str, message_id: str) -> str:
    return hashlib.sha256(f"{party}\x00{message_id}".encode()).hexdigest()


def role_for(kind: str) -> Role:
    if kind == "court":
        return Role.COURT
    if kind.endswith("_arbitration"):
        return Role.ARBITRATION
    return Role.INSTITUTION


class InboundConnector:
    name = "inbound"

    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx

    def __call__(self, d: Delivery) -> Outcome:
        party = d.routing_key.removeprefix("events.")
        mid = d.properties.message_id
        if not mid:
            return self._refuse(d, 422, "message_id 缺失 / message_id required")
        if len(mid) > 200 or text.has_control(mid) or text.has_control(party):
            return self._refuse(d, 422, "message_id 或路由键无效 / invalid message_id or key")
        try:
            body = text.loads_json(d.body)
        except text.LongInteger as exc:  # valid JSON, but no field holds such a number
            return self._refuse(d, 422, f"{exc.pointer}: {text.LONG_INTEGER_MESSAGE}")
        except (ValueError, RecursionError):  # RecursionError: nested past the parser's stack
            return self._refuse(d, 400, "无法解析 JSON / cannot parse JSON")
        if not isinstance(body, dict):
            return self._refuse(d, 422, "须为 JSON 对象 / a JSON object is required")
        unstorable = text.unstorable(body)  # NUL, lone surrogates, depth: before any lookup
        if unstorable:
            return self._refuse(d, 422, "; ".join(f"{p}: {m}" for p, m in unstorable)[:400])
        kind = d.properties.type or "event"
        key = inbox_key(party, mid)
        try:
            with self.ctx.db.transaction() as session:
                if session.get(InboxRecord, (CONSUMER, key)) is not None:
                    return Delivered("repeat")
                inst = session.get(Institution, party)
                if inst is None:
                    return self._refuse(d, 403, f"未知的发布方 / unknown party {party}")
                principal = Principal(role_for(inst.kind), party, f"amqp:{party}")
                session.add(
                    InboxRecord(
                        consumer=CONSUMER, message_id=key, processed_at=self.ctx.clock.now()
                    )
                )
                session.flush()
                if kind == "event":
                    payload = {k: v for k, v in body.items() if k != "application_no"}
                    self._valid("institution_event", payload)
                    lifecycle.record_event(
                        self.ctx, session, principal, str(body.get("application_no", "")), payload
                    )
                elif kind == "referral_result":
                    payload = {k: v for k, v in body.items() if k != "referral_id"}
                    self._valid("referral_result", payload)
                    referrals.record_result(
                        self.ctx, session, principal, str(body.get("referral_id", "")), payload
                    )
                else:
                    raise _Refused(422, f"未知的消息类型 / unknown type {kind}")
        except IntegrityError:
            return Delivered("repeat (concurrent)")
        except _Refused as exc:
            return self._refuse(d, exc.status, exc.detail)
        except ServiceError as exc:
            return self._refuse(d, exc.status, exc.detail)
        return Delivered()

    @staticmethod
    def _valid(schema: str, payload: dict[str, Any]) -> None:
        errors = schemas.validate(schema, payload)
        if errors:
            raise _Refused(422, "; ".join(f"{e.pointer}: {e.message}" for e in errors)[:400])

    def _refuse(self, d: Delivery, status: int, detail: str) -> Outcome:
        log.warning("inbound message %s refused: %s %s", d.properties.message_id, status, detail)
        if d.properties.reply_to:
            answer = {"message_id": d.properties.message_id, "status": status, "detail": detail}
            return Forward(
                "", d.properties.reply_to, jsonutil.dumps(answer).encode(), {"x-status": status}
            )
        return Dead(f"refused ({status}): {detail}")


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
