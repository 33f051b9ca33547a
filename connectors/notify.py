"""Notices to applicants (申请人通知): SMS and e-mail, in Chinese.

Outbox rows with destination `notify` and type `notice.<kind>` carry `recipients` ([{name,
phone, email}]) and the notice's fields. Each (recipient, channel) is sent once: an inbox
row `notify.sms` / `notify.mail` with `<message_id>:<n>` is written after it went out (all of
a message's rows in one statement; in the embedded default, many messages' rows in the
relay's mark transaction), so a retry after a partial failure does not send the same text
twice.

    NotifyError
    ├── SmsError       the SMS gateway did not take the message
    └── MailError      the SMTP server did not take the message
"""

from __future__ import annotations

import smtplib
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, ClassVar

import httpx

from connectors.journal import Journal, Key
from hub.delivery.message import Message
from hub.delivery.outcomes import Connector, Dead, Delivered, Outcome, RetryPolicy
from hub.domain import notices
from hub.logsafety import get_logger
from hub.services.context import HubContext

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
    """A channel not configured (the embedded default): its notices are logged, never lost
    silently. The line names the channel and the setting that would send it (never the
    recipient): with neither configured, a notice's two lines were alike."""

    SETTING: ClassVar[dict[str, str]] = {"sms": "HUB_SMS_URL", "mail": "HUB_SMTP_HOST"}

    def __init__(self, channel: str) -> None:
        if channel not in self.SETTING:
            raise ValueError(f"channel is one of {', '.join(self.SETTING)}")
        self.channel = channel

    def send(self, *args: Any, **kwargs: Any) -> None:
        get_logger("hub.notify").info(
            "%s notice not sent: no %s gateway configured (%s)",
            self.channel,
            self.channel,
            self.SETTING[self.channel],
        )


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
        # Only a copy that may have been answered before is looked up (webhook's rule).
        already = self.journal.done(wanted, message) if message.may_have_been_answered else set()
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
        if not sent:  # no recipient, or every notice went out before (a repeat)
            return Delivered("nothing to send", sent=False)
        return Delivered()
