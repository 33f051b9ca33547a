"""Web sessions: a signed cookie holding a *reference* to a person or a token, never a secret.

Design (see README "Web pages"):
- A person signs in with a login and password (`hub.services.accounts`); an institution may
  instead paste its API token once. The hub sets `om_web`: base64url JSON
  `{"sid", "kind", "ref", "ep", "exp"}` and an HMAC-SHA256 over it. `sid` is a random session
  id; `kind` is `person` (ref: the login, ep: the account's session epoch), `pending` (a
  person who signed in with a one-time password and may only choose their own, for
  `PENDING_SECONDS`) or `token` (ref: the `api_token` row id, a reference that cannot be
  turned back into the token); `exp` an absolute expiry (8 hours). No password or token is
  kept anywhere: not in the cookie, not in memory, not in logs.
- The cookie is HttpOnly, SameSite=Strict, Path=/web, and Secure when served over HTTPS.
- Every request re-reads the session's row (`web_session`, hub.services.web_sessions) and
  the account or token row, so signing out, disabling a person (which raises the account's
  epoch), changing a password, or revoking the API token ends those sessions at once, on
  every node and after a restart.
- The signing key is derived from the hub's blind-index key (`HUB_BLIND_INDEX_KEY`, through
  the vault), so every API process of a deployment accepts the same cookies with no shared
  session store (`hub serve --workers N`, several nodes behind a balancer).
- Signing out drops the cookie and ends the session's row: a copy of the cookie taken
  before sign-out is refused by every process.
- CSRF: each form carries `csrf` = HMAC(key, "csrf" + sid); the sign-in form, which has no
  session yet, carries HMAC(key, "login" + nonce) where the nonce is in its own
  HttpOnly SameSite=Strict cookie (`om_pre`). Both are compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from hub.services import accounts, web_sessions
from hub.services.principal import Principal
from hub.vault import Vault

SESSION_COOKIE = "om_web"
LOGIN_COOKIE = "om_pre"
COOKIE_PATH = "/web"
SESSION_SECONDS = 8 * 3600
PENDING_SECONDS = 15 * 60
LOGIN_SECONDS = 3600
KINDS = ("person", "pending", "token")


@dataclass(frozen=True)
class WebSession:
    sid: str
    kind: str  # person | pending | token
    ref: str  # the login, or the api_token row id
    expires: int
    epoch: int = 0

    @property
    def token_id(self) -> str:
        return self.ref if self.kind == "token" else ""


def new_sid() -> str:
    return secrets.token_urlsafe(18)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs and checks session cookies and CSRF tokens with a key derived from the vault."""

    def __init__(self, vault: Vault) -> None:
        derived = vault.index("onematter-web-session-v1", purpose="web_session_key")
        self._key = hashlib.sha256(b"om-web\x00" + derived.encode()).digest()

    def _mac(self, label: str, value: str) -> str:
        msg = label.encode() + b"\x00" + value.encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()

    # ---------------------------------------------------------------- session cookie

    def new_cookie(
        self,
        kind: str,
        ref: str,
        epoch: int = 0,
        *,
        sid: str | None = None,
        now: float | None = None,
    ) -> tuple[str, WebSession]:
        assert kind in KINDS
        now = time.time() if now is None else now
        lifetime = PENDING_SECONDS if kind == "pending" else SESSION_SECONDS
        session = WebSession(sid or new_sid(), kind, ref, int(now) + lifetime, epoch)
        payload = _b64(
            json.dumps(
                {
                    "sid": session.sid,
                    "kind": kind,
                    "ref": ref,
                    "ep": epoch,
                    "exp": session.expires,
                },
                separators=(",", ":"),
            ).encode()
        )
        return f"{payload}.{self._mac('session', payload)}", session

    def read_cookie(self, value: str | None, now: float | None = None) -> WebSession | None:
        if not value or value.count(".") != 1 or len(value) > 1024:
            return None
        payload, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac("session", payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = WebSession(
                str(data["sid"]),
                str(data["kind"]),
                str(data["ref"]),
                int(data["exp"]),
                int(data["ep"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        if session.kind not in KINDS:
            return None
        now = time.time() if now is None else now
        if session.expires <= now:
            return None
        return session

    # ---------------------------------------------------------------- CSRF

    def csrf_token(self, session: WebSession) -> str:
        return self._mac("csrf", session.sid)

    def csrf_ok(self, session: WebSession, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(str(submitted), self.csrf_token(session))

    def login_token(self, nonce: str) -> str:
        return self._mac("login", nonce)

    def login_ok(self, nonce: str | None, submitted: str | None) -> bool:
        if not nonce or not submitted:
            return False
        return hmac.compare_digest(str(submitted), self.login_token(nonce))


def principal_for(db_session: Session, session: WebSession) -> Principal | None:
    """Who a signed-in session acts for now; None once it no longer may (see above)."""
    # The session timer runs on the wall clock, as the cookie's expiry does.
    if not web_sessions.is_open(
        db_session, session.sid, session.kind, session.ref, datetime.now(UTC)
    ):
        return None
    if session.kind == "person":
        return accounts.person_of_session(db_session, session.ref, session.epoch)
    if session.kind == "token":
        return accounts.institution_of_token(db_session, session.ref)
    return None
