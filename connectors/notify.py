"""Notices to applicants (申请人通知): SMS and e-mail, in Chinese.

Outbox rows with destination `notify` and type `notice.<kind>` carry `recipients` ([{name,
phone, email}]) and the notice's fields. Each (recipient, channel) is sent once: an inbox
row `notify.sms` / `notify.mail` with `<message_id>:<n>` is written after it went out (all of
a message's rows in one statement; in the embedded drain, many messages' rows in the drain's
own transaction), so a retry after a partial failure does not send the same text twice.

    NotifyError
    ├── SmsError       the SMS gateway did not take the message
    └── MailError      the SMTP server did not take the message
"""

from __future__ import annotations

import smtplib
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from connectors.base import Connector, Delivered, Outcome, RetryPolicy
from hub.broker.message import Message
from hub.services.context import HubContext
from hub.store.models import InboxRecord

SIGNATURE = "【解纷一件事】"


class NotifyError(Exception):
    pass


class SmsError(NotifyError):
    pass


class MailError(NotifyError):
    pass


# ---- texts -----------------------------------------------------------------------------
_OUTCOMES = {
    "confirmed": "已确认",
    "rejected": "被驳回",
    "award": "已作出裁决",
    "dismissed": "已驳回申请",
    "filed": "已立案",
    "not_filed": "未予立案",
}
_KINDS = {
    "judicial_confirmation": "司法确认",
    "arbitration_confirmation": "仲裁确认",
    "arbitration": "仲裁",
    "litigation": "诉讼",
}


def render(envelope: dict[str, Any]) -> tuple[str, str]:
    """(subject, text) of a notice, Chinese first."""
    data = envelope.get("data") or {}
    no = envelope.get("application_no") or ""
    kind = data.get("notice") or str(envelope.get("type", "")).removeprefix("notice.")
    if kind == "numbered":
        subject = f"您的纠纷调解申请已受理登记（办件编号 {no}）"
        text = (
            f"您的纠纷化解申请已提交，办件编号 {no}，查询码 {data.get('query_code', '')}。"
            "请妥善保管查询码，可凭编号和查询码查询办理进度。"
        )
    elif kind == "accepted":
        subject = f"办件 {no} 已受理"
        text = f"您的办件 {no} 已由解纷机构受理，机构将与您联系，请保持电话畅通。"
    elif kind == "rejected":
        subject = f"办件 {no} 不予受理"
        reason = data.get("reason", "未说明")
        text = f"您的办件 {no} 未被受理。原因：{reason}。如有疑问请联系受理机构。"
    elif kind == "closed":
        if data.get("outcome") == "success":
            subject = f"办件 {no} 调解成功"
            text = f"您的办件 {no} 已调解成功并结案。"
        else:
            subject = f"办件 {no} 调解未成功"
            remedies = data.get("remedies", "可依法申请仲裁或向人民法院起诉")
            text = f"您的办件 {no} 调解未成功，已结案。救济途径：{remedies}。"
    elif kind == "referral_result":
        what = _KINDS.get(str(data.get("kind")), "转介")
        result = _OUTCOMES.get(str(data.get("outcome")), str(data.get("outcome", "")))
        case_no = f"（案号 {data['case_no']}）" if data.get("case_no") else ""
        subject = f"办件 {no} {what}结果"
        text = f"您的办件 {no} 的{what}申请{result}{case_no}。"
    else:
        subject = f"办件 {no} 进度通知"
        text = f"您的办件 {no} 有新的进展，当前状态：{data.get('status', '')}。"
    return subject, SIGNATURE + text


# ---- ports -----------------------------------------------------------------------------
class SmsGateway(ABC):
    @abstractmethod
    def send(self, phone: str, text: str, *, client_ref: str) -> None: ...


class HttpSmsGateway(SmsGateway):
    """POST {"phone", "text", "client_ref"} with `Authorization: Bearer <key>`; 2xx is sent.

    `client_ref` lets a gateway that supports it drop a repeat of the same text.
    """

    def __init__(self, url: str, key: str | None, timeout: float = 10.0) -> None:
        self.url = url
        self.key = key
        self.client = httpx.Client(timeout=timeout)

    def send(self, phone: str, text: str, *, client_ref: str) -> None:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        try:
            r = self.client.post(
                self.url,
                json={"phone": phone, "text": text, "client_ref": client_ref},
                headers=headers,
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= r.status_code < 300:
            raise SmsError(f"gateway answered HTTP {r.status_code}")


class Mailer(ABC):
    @abstractmethod
    def send(self, to: str, subject: str, text: str, *, message_id: str) -> None: ...


class SmtpMailer(Mailer):
    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
    ):
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls, self.timeout = user, password, starttls, timeout

    def send(self, to: str, subject: str, text: str, *, message_id: str) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Message-ID"] = f"<{message_id}@onematter.hub>"
        msg.set_content(text, charset="utf-8")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"{type(exc).__name__}: {exc}") from exc


@dataclass
class FakeSms(SmsGateway):
    sent: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, phone: str, text: str, *, client_ref: str) -> None:
        if self.fail:
            raise SmsError("fake gateway down")
        with self._lock:
            self.sent.append((phone, text))


@dataclass
class FakeMailer(Mailer):
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    fail: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, to: str, subject: str, text: str, *, message_id: str) -> None:
        if self.fail:
            raise MailError("fake mailer down")
        with self._lock:
            self.sent.append((to, subject, text))


class LogOnly(SmsGateway, Mailer):
    """Neither configured (the embedded default): notices are logged, never lost silently."""

    def send(self, *args: Any, **kwargs: Any) -> None:
        import logging

        logging.getLogger("hub.notify").info("notice not sent (no gateway configured)")


# ---- what was sent --------------------------------------------------------------------
Key = tuple[str, str]  # (consumer, "<message_id>:<n>"), consumer notify.sms or notify.mail


def insert_inbox(conn: Connection, keys: Iterable[Key], at: datetime) -> None:
    """Inbox rows for `keys`, one statement; rows already there are left as they are."""
    rows = [{"consumer": c, "message_id": k, "processed_at": at} for c, k in keys]
    if not rows:
        return
    table = InboxRecord.__table__  # type: ignore[attr-defined]
    stmt: Any
    if conn.dialect.name == "postgresql":
        stmt = pg_insert(table).on_conflict_do_nothing()
    else:
        stmt = sqlite_insert(table).on_conflict_do_nothing()
    conn.execute(stmt, rows)


class Journal:
    """Which notices went out (inbox rows), so a retry does not send the same text twice.

    This one writes at once: one transaction per message, all its recipients together,
    committed before the connector answers (the broker worker acks only after that).
    """

    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx

    def done(self, keys: list[Key]) -> set[Key]:
        if not keys:
            return set()
        table = InboxRecord.__table__  # type: ignore[attr-defined]
        with self.ctx.db.read_engine.connect() as conn:
            found = conn.execute(
                select(table.c.consumer, table.c.message_id).where(
                    table.c.consumer.in_(sorted({c for c, _ in keys})),
                    table.c.message_id.in_(sorted({k for _, k in keys})),
                )
            ).all()
            conn.rollback()
        return {(c, k) for c, k in found} & set(keys)

    def record(self, keys: list[Key]) -> None:
        if keys:
            with self.ctx.db.engine.begin() as conn:
                insert_inbox(conn, keys, self.ctx.clock.now())


class BufferedJournal(Journal):
    """For the embedded drain: rows are kept in memory and written by the drain together
    with the rows it marks sent, in one transaction for many messages (`take`, then
    `insert_inbox`; `restore` if that transaction failed). Until then `done` answers from
    memory, so a retry in this process still skips what was sent. A crash before the write
    loses only the record, not the message: the notice is sent again with the same
    `client_ref` / Message-ID (at least once, as everywhere on the wire)."""

    def __init__(self, ctx: HubContext) -> None:
        super().__init__(ctx)
        self._lock = threading.Lock()
        self._unwritten: set[Key] = set()
        self._fresh: set[str] = set()

    def fresh(self, message_id: str) -> None:
        """The drain says: first attempt at a row written after it started. No process can
        have sent any of its notices yet, so `done` need not read the database for it."""
        with self._lock:
            self._fresh.add(message_id)

    def settled(self, message_id: str) -> None:
        with self._lock:
            self._fresh.discard(message_id)

    def done(self, keys: list[Key]) -> set[Key]:
        with self._lock:
            mine = set(keys) & self._unwritten
            rest = [k for k in keys if k not in mine and k[1].rsplit(":", 1)[0] not in self._fresh]
        return mine | super().done(rest)

    def record(self, keys: list[Key]) -> None:
        with self._lock:
            self._unwritten.update(keys)

    def take(self) -> list[Key]:
        with self._lock:
            keys = list(self._unwritten)
            self._unwritten.clear()
            return keys

    def restore(self, keys: list[Key]) -> None:
        with self._lock:
            self._unwritten.update(keys)


# ---- connector -------------------------------------------------------------------------
class NotifyConnector(Connector):
    name = "notify"

    def __init__(
        self,
        ctx: HubContext,
        sms: SmsGateway,
        mailer: Mailer,
        policy: RetryPolicy,
        journal: Journal | None = None,
    ) -> None:
        self.ctx = ctx
        self.sms = sms
        self.mailer = mailer
        self.policy = policy
        self.journal = journal or Journal(ctx)

    def handle(self, message: Message) -> Outcome:
        envelope = message.envelope(self.ctx.vault)
        subject, text = render(envelope)
        recipients = (envelope.get("data") or {}).get("recipients") or []
        wanted: list[Key] = []
        for n, r in enumerate(recipients):
            key = f"{message.message_id}:{n}"
            if r.get("phone"):
                wanted.append(("notify.sms", key))
            if r.get("email"):
                wanted.append(("notify.mail", key))
        already = self.journal.done(wanted)
        failures: list[str] = []
        sent: list[Key] = []
        try:
            for n, r in enumerate(recipients):
                key = f"{message.message_id}:{n}"
                if r.get("phone") and ("notify.sms", key) not in already:
                    try:
                        self.sms.send(r["phone"], text, client_ref=key)
                        sent.append(("notify.sms", key))
                    except SmsError as exc:
                        failures.append(f"sms: {exc}")
                if r.get("email") and ("notify.mail", key) not in already:
                    try:
                        self.mailer.send(r["email"], subject, text, message_id=key)
                        sent.append(("notify.mail", key))
                    except MailError as exc:
                        failures.append(f"mail: {exc}")
        finally:
            self.journal.record(sent)  # what went out is remembered even if a send raised
        if failures:
            return self.policy.after_failure(message, "; ".join(failures)[:300])
        return Delivered()
