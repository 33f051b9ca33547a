"""Personal accounts (个人账号) for the web pages (INTERFACE 13), and signing in with them.

- `add_user` gives a person a login, a role and a party and answers a one-time password
  (shown once, by `hub user add`); at the first sign-in the person must choose their own
  (`change_password`, at least `MIN_PASSWORD` characters). `reset_password` issues a new
  one-time password; `disable_user` ends every session of the person at once: a session
  names the account's `session_epoch`, which disabling and every password change raise.
- Passwords are stored only as argon2id hashes (argon2-cffi; cost from `Settings`, by
  default RFC 9106's second recommendation: 3 passes over 64 MiB, 4 lanes), upgraded to the
  configured cost at the next successful sign-in.
- Lockout: `MAX_FAILURES` wrong passwords in a row lock a login for `LOCK_MINUTES`; while
  locked every sign-in with it is refused, the right password too, and answers how long to
  wait. A login that does not exist is counted and locked the same way (its counter is keyed
  by a digest of the login, and a dummy hash is verified), so the answers do not tell which
  logins exist. A successful sign-in resets the count.
- `sign_in` verifies the password outside any database transaction (a hash takes tens to
  hundreds of milliseconds; on SQLite a write transaction would hold up every writer), then
  records the outcome in a short transaction of its own.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.config import Settings
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound, Violation
from hub.services.principal import Principal, Role
from hub.store import audit
from hub.store.models import ApiToken, Institution, Unit
from hub.store.models_accounts import SignInLock, WebUser
from hub.store.unit_of_work import UnitOfWork
from schemas.text import PRINTABLE_MESSAGE, is_printable

MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: Roles a person may hold; systems (portal, courts' systems) keep their API tokens.
USER_ROLES = (Role.UNIT, Role.ADMIN, Role.INSTITUTION, Role.DATABUREAU)
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_PARTY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: One-time passwords: no 0/O, 1/l/I, so they can be read out over the phone.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ACCOUNTS_CHAIN = "accounts"
WEB_CHAIN = "web"


def normal_login(text: str) -> str:
    return text.strip().lower()


def one_time_password() -> str:
    groups = ["".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


# ---------------------------------------------------------------------- hashing


class Passwords:
    """argon2id with the deployment's cost; a dummy hash for logins that do not exist."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_kib,
            parallelism=settings.password_parallelism,
        )
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def outdated(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)


_lock = threading.Lock()
_passwords: dict[tuple[int, int, int], Passwords] = {}


def passwords(settings: Settings) -> Passwords:
    key = (settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism)
    with _lock:
        if key not in _passwords:
            _passwords[key] = Passwords(settings)
        return _passwords[key]


# ---------------------------------------------------------------------- accounts


def _operator(actor: str) -> Principal:
    return Principal(Role.ADMIN, actor)


def _check_party(session: Session, role: Role, party: str | None) -> list[Violation]:
    if role is Role.ADMIN:
        if party and not _PARTY_ID.fullmatch(party):
            return [Violation("/party", "标识只能由小写字母、数字、- 和 _ 组成 / invalid id")]
        return []
    if not party:
        return [Violation("/party", f"角色 {role} 需要 --party / role {role} needs --party")]
    if role is Role.UNIT and session.get(Unit, party) is None:
        return [Violation("/party", f"名录中没有单位 {party} / unknown unit")]
    if role is Role.INSTITUTION and session.get(Institution, party) is None:
        return [Violation("/party", f"名录中没有机构 {party} / unknown institution")]
    if role is Role.DATABUREAU and not _PARTY_ID.fullmatch(party):
        return [Violation("/party", "标识只能由小写字母、数字、- 和 _ 组成 / invalid id")]
    return []


def add_user(
    ctx: HubContext,
    session: Session,
    *,
    login: str,
    name: str,
    role: str,
    party: str | None,
    actor: str = "cli",
) -> str:
    """A new account with a one-time password, which is answered (and kept only hashed)."""
    login = normal_login(login)
    errors: list[Violation] = []
    if not LOGIN.fullmatch(login):
        errors.append(
            Violation(
                "/login",
                "登录名为 2-64 位小写字母、数字、.、- 或 _ / 2-64 lowercase letters, digits, . - _",
            )
        )
    name = name.strip()
    if not name or len(name) > 100:
        errors.append(Violation("/name", "姓名必填，不超过 100 字 / name: 1-100 characters"))
    elif not is_printable(name):  # a bidi override or NUL in the name every audit line shows
        errors.append(Violation("/name", PRINTABLE_MESSAGE))
    try:
        the_role = Role(role)
    except ValueError:
        the_role = None
    if the_role not in USER_ROLES:
        errors.append(
            Violation("/role", "角色须为 unit、admin、institution 或 databureau / unknown role")
        )
    else:
        assert the_role is not None
        errors += _check_party(session, the_role, party or None)
    if errors:
        raise Invalid(errors)
    assert the_role is not None
    if session.get(WebUser, login) is not None:
        raise Conflict(f"登录名 {login} 已存在 / login {login} already exists")
    now = ctx.clock.now()
    otp = one_time_password()
    session.add(
        WebUser(
            login=login,
            name=name,
            role=the_role,
            party_id=party or None,
            password_hash=passwords(ctx.settings).hash(otp),
            must_change=True,
            session_epoch=0,
            created_at=now,
            created_by=actor,
            password_set_at=now,
        )
    )
    audit.append(
        session,
        chain=ACCOUNTS_CHAIN,
        at=now,
        actor_role=Role.ADMIN,
        actor_party=actor,
        action="user.added",
        detail={"login": login, "role": the_role.value, "party": party or None},
    )
    return otp


def _user_for_update(session: Session, login: str) -> WebUser:
    user = session.exec(
        select(WebUser).where(WebUser.login == normal_login(login)).with_for_update()
    ).first()
    if user is None:
        raise NotFound(f"没有登录名 {login} / no such login")
    return user


def disable_user(ctx: HubContext, session: Session, login: str, actor: str = "cli") -> None:
    """The person can no longer sign in, and every session of theirs ends at once."""
    user = _user_for_update(session, login)
    if user.disabled_at is not None:
        raise Conflict(f"{user.login} 已停用 / already disabled", current_status="disabled")
    now = ctx.clock.now()
    user.disabled_at = now
    user.disabled_by = actor
    user.session_epoch += 1
    session.add(user)
    audit.append(
        session,
        chain=ACCOUNTS_CHAIN,
        at=now,
        actor_role=Role.ADMIN,
        actor_party=actor,
        action="user.disabled",
        detail={"login": user.login},
    )


def reset_password(ctx: HubContext, session: Session, login: str, actor: str = "cli") -> str:
    """A new one-time password (the old password and every session stop working)."""
    user = _user_for_update(session, login)
    if user.disabled_at is not None:
        raise Conflict(f"{user.login} 已停用 / the account is disabled", current_status="disabled")
    now = ctx.clock.now()
    otp = one_time_password()
    user.password_hash = passwords(ctx.settings).hash(otp)
    user.must_change = True
    user.password_set_at = now
    user.session_epoch += 1
    session.add(user)
    lock = session.get(SignInLock, lock_key(ctx, user.login))
    if lock is not None:
        session.delete(lock)
    audit.append(
        session,
        chain=ACCOUNTS_CHAIN,
        at=now,
        actor_role=Role.ADMIN,
        actor_party=actor,
        action="user.password_reset",
        detail={"login": user.login},
    )
    return otp


def list_users(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "login": u.login,
            "name": u.name,
            "role": u.role,
            "party": u.party_id,
            "state": "disabled" if u.disabled_at else ("new" if u.must_change else "active"),
            "created_at": jsonutil.rfc3339(u.created_at),
            "last_sign_in_at": jsonutil.rfc3339(u.last_sign_in_at) if u.last_sign_in_at else None,
        }
        for u in session.exec(select(WebUser).order_by(col(WebUser.login)))
    ]


def display_name(session: Session, principal: Principal) -> str:
    """How the pages name who is signed in: the person, else the institution."""
    if principal.login:
        user = session.get(WebUser, principal.login)
        if user is not None:
            return user.name
    if principal.party:
        found = session.get(Institution, principal.party) or session.get(Unit, principal.party)
        if found is not None:
            return found.name
    return principal.party or str(principal.role)


# ---------------------------------------------------------------------- signing in


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to.

    outcome: `ok` (signed in), `change_password` (the one-time password was right: choose
    one now), `wrong`, `locked` (wait `retry_after` seconds), `disabled`.
    """

    outcome: str
    principal: Principal | None = None
    epoch: int = 0
    retry_after: int = 0
    now_locked: bool = False


def lock_key(ctx: HubContext, login: str) -> str:
    return ctx.vault.index(normal_login(login), purpose="sign_in_lock")


def _seconds_locked(lock: SignInLock | None, now: datetime) -> int:
    if lock is None or lock.locked_until is None or lock.locked_until <= now:
        return 0
    return max(1, int((lock.locked_until - now).total_seconds() + 0.999))


def _person(user: WebUser) -> Principal:
    return Principal(Role(user.role), user.party_id, "", user.login)


@dataclass(frozen=True)
class Attempt:
    """A login and password checked outside any transaction (the hash is slow on purpose);
    `record_sign_in` writes what it came to in the caller's unit of work."""

    login: str
    key: str
    session_id: str
    known: bool
    right: bool
    stored: str | None
    upgraded: str | None
    wait: int


def check_sign_in(ctx: HubContext, login: str, password: str, session_id: str) -> Attempt:
    """Check a login and password (INTERFACE 13), writing nothing yet; never the password."""
    login = normal_login(login)[:64]
    key = lock_key(ctx, login)
    hasher = passwords(ctx.settings)
    with ctx.db.read() as s:
        wait = _seconds_locked(s.get(SignInLock, key), ctx.clock.now())
        user = s.get(WebUser, login)
        stored = user.password_hash if user is not None else None
    if wait:
        return Attempt(login, key, session_id, user is not None, False, stored, None, wait)
    right = hasher.verify(stored, password[:MAX_PASSWORD])
    # A hash of the configured cost, when the stored one is older: made before the write.
    upgraded = hasher.hash(password) if right and stored and hasher.outdated(stored) else None
    return Attempt(login, key, session_id, user is not None, right, stored, upgraded, 0)


def record_sign_in(ctx: HubContext, s: UnitOfWork, attempt: Attempt) -> SignIn:
    """Record a checked attempt in the caller's unit of work: the lock's count of failures,
    or the person's sign-in and its audit entry."""
    if attempt.wait:
        return SignIn("locked", retry_after=attempt.wait)
    login, key, stored, upgraded = attempt.login, attempt.key, attempt.stored, attempt.upgraded
    session_id = attempt.session_id

    def wrong() -> SignIn:
        now = ctx.clock.now()
        lock = s.exec(select(SignInLock).where(SignInLock.key == key).with_for_update()).first()
        if lock is None:
            lock = SignInLock(key=key, failures=0, updated_at=now)
        if _seconds_locked(lock, now):  # locked by a concurrent attempt meanwhile
            return SignIn("locked", retry_after=_seconds_locked(lock, now))
        lock.failures += 1
        lock.updated_at = now
        locked = lock.failures >= MAX_FAILURES
        if locked:
            lock.failures = 0
            lock.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        s.add(lock)
        user = s.get(WebUser, login) if locked and attempt.known else None
        if user is not None:  # only real accounts are named in the trail
            audit.append(
                s,
                chain=WEB_CHAIN,
                at=now,
                actor_role=user.role,
                actor_party=user.party_id,
                actor_login=login,
                action="web.sign_in_locked",
                detail={"minutes": LOCK_MINUTES},
            )
        return SignIn("wrong", now_locked=locked, retry_after=LOCK_MINUTES * 60 if locked else 0)

    def right_password() -> SignIn:
        now = ctx.clock.now()
        lock = s.exec(select(SignInLock).where(SignInLock.key == key).with_for_update()).first()
        if _seconds_locked(lock, now):
            return SignIn("locked", retry_after=_seconds_locked(lock, now))
        row = s.exec(select(WebUser).where(WebUser.login == login).with_for_update()).first()
        if row is None or row.password_hash != stored:  # changed meanwhile: sign in again
            return SignIn("wrong")
        if row.disabled_at is not None:
            return SignIn("disabled")
        if lock is not None:
            s.delete(lock)
        if upgraded is not None:
            row.password_hash = upgraded
        if row.must_change:
            s.add(row)
            return SignIn("change_password", _person(row), row.session_epoch)
        row.last_sign_in_at = now
        s.add(row)
        audit.append(
            s,
            chain=WEB_CHAIN,
            at=now,
            actor_role=row.role,
            actor_party=row.party_id,
            actor_login=row.login,
            action="web.signed_in",
            detail={"session": session_id[:8]},
        )
        return SignIn("ok", _person(row), row.session_epoch)

    return right_password() if attempt.right and attempt.known else wrong()


def check_new_password(
    ctx: HubContext, login: str, new: str, repeat: str, current: str | None = None
) -> str:
    """The hash of the person's new password, checked outside any transaction (or Invalid).
    `current` is checked when given (a signed-in person changing it); at the first sign-in
    the one-time password was checked just before. `set_password` then writes it."""
    errors: list[Violation] = []
    if current is not None and not current:
        errors.append(Violation("/current", "请输入当前密码 / enter your current password"))
    if len(new) < MIN_PASSWORD:
        errors.append(
            Violation(
                "/password",
                f"至少 {MIN_PASSWORD} 个字符 / at least {MIN_PASSWORD} characters",
            )
        )
    elif len(new) > MAX_PASSWORD:
        errors.append(Violation("/password", f"不超过 {MAX_PASSWORD} 个字符 / too long"))
    elif normal_login(new) == normal_login(login):
        errors.append(Violation("/password", "不能与登录名相同 / must differ from the login"))
    if not errors and repeat != new:
        errors.append(Violation("/repeat", "两次输入不一致 / the two entries differ"))
    if errors:
        raise Invalid(errors)
    hasher = passwords(ctx.settings)
    with ctx.db.read() as s:
        user = s.get(WebUser, login)
        stored = user.password_hash if user is not None else None
    if current is not None and not hasher.verify(stored, current):
        raise Invalid.at("/current", "当前密码不正确 / the current password is wrong")
    if stored is not None and hasher.verify(stored, new):
        raise Invalid.at("/password", "不能与原密码相同 / must differ from the old password")
    return hasher.hash(new)


def set_password(
    ctx: HubContext, s: UnitOfWork, login: str, epoch: int, digest: str, session_id: str
) -> SignIn:
    """Set the person's own password (`digest` from `check_new_password`), in the caller's
    unit of work; every other session of the person ends."""
    now = ctx.clock.now()
    row = s.exec(select(WebUser).where(WebUser.login == login).with_for_update()).first()
    if row is None or row.disabled_at is not None or row.session_epoch != epoch:
        return SignIn("disabled" if row is not None and row.disabled_at else "wrong")
    row.password_hash = digest
    row.must_change = False
    row.password_set_at = now
    row.last_sign_in_at = now
    row.session_epoch += 1  # every other session of this person ends
    s.add(row)
    for action in ("user.password_changed", "web.signed_in"):
        audit.append(
            s,
            chain=WEB_CHAIN,
            at=now,
            actor_role=row.role,
            actor_party=row.party_id,
            actor_login=row.login,
            action=action,
            detail={"session": session_id[:8]},
        )
    return SignIn("ok", _person(row), row.session_epoch)


# ---------------------------------------------------------------------- sessions


def person_of_session(session: Session, login: str, epoch: int) -> Principal | None:
    """The person a session acts for, if the account is still enabled and the session is
    not older than the last password change or disabling."""
    user = session.get(WebUser, login)
    if user is None or user.disabled_at is not None or user.session_epoch != epoch:
        return None
    if user.must_change:
        return None
    return _person(user)


def pending_person(session: Session, login: str, epoch: int) -> Principal | None:
    """The person between the one-time password and their own (may only set a password)."""
    user = session.get(WebUser, login)
    if user is None or user.disabled_at is not None or user.session_epoch != epoch:
        return None
    return _person(user) if user.must_change else None


def institution_of_token(session: Session, token_id: str) -> Principal | None:
    """The institution a token sign-in acts for, while its token exists and is not revoked."""
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None or row.role != Role.INSTITUTION:
        return None
    return Principal(Role.INSTITUTION, row.party_id, row.id)


def record_web_session(
    ctx: HubContext, session: Session, principal: Principal, action: str, session_id: str
) -> None:
    """A sign-in with a token, or any sign-out, in the `web` audit chain."""
    detail: dict[str, Any] = {"session": session_id[:8]}
    if principal.token_id:
        detail["token_id"] = principal.token_id
    audit.append(
        session,
        chain=WEB_CHAIN,
        at=ctx.clock.now(),
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=action,
        detail=detail,
    )
