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

from hub.delivery.message import Message
from hub.delivery.outcomes import Connector, Dead, Delivered, Outcome, RetryPolicy
from hub.domain import notices
from hub.services.context import HubContext
from hub.store.models import InboxRecord

SIGNATURE = notices.SIGNATURE


class NotifyError(Exception):
    pass


class SmsError(NotifyError):
    pass


class MailError(NotifyError):
    pass


# ---- texts: hub.domain.notices -----------------------------------------------------------
def render(envelope: dict[str, Any]) -> tuple[str, str]:
    """(subject, text) of a notice: Chinese first, then English (`hub.domain.notices`)."""
    notice = notices.render(envelope)
    return notice.subject, notice.text


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
        try:
            subject, text = render(envelope)
        except KeyError as exc:  # a notice type without a text: an operator must look
            return Dead(str(exc)[:300])
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
