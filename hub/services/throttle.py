"""Throttling across every process (INTERFACE 13, 18): counted in the database.

A public look-up first *reserves* a guess: in its own transaction it reads the client's recent
guesses, refuses with `Throttled` (429, `Retry-After`) when a budget of
`hub.domain.throttle.Limits` is spent, and otherwise writes the guess. Then it checks the
code; a right one gives its reservation back (`settle(right=True)`), a wrong one leaves it
counted. Reserving before checking means concurrent guesses cannot slip past the budget,
and a right code asked for while the budget is spent is refused like a wrong one.

The client's address is stored only as a keyed digest (the blind-index key, purpose
`throttle_client`); rows older than the longest window are purged (hub.services.retention).

Every function writes in the caller's transaction. The reservation must be committed before
the code is checked and must survive whatever the look-up does, so the entrypoint gives
`reserve_*` and `settle` transactions of their own (hub.api.support.guarded_lookup,
hub.web.signin), beside the request's.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.domain.throttle import GUESS, SIGNIN, Limits, client_key
from hub.services.context import HubContext
from hub.services.errors import Throttled
from hub.store import throttle as store
from hub.store.unit_of_work import UnitOfWork

LIMITS = Limits()


@dataclass(frozen=True)
class Reservation:
    """A guess counted in advance; `settle` decides whether it stays counted."""

    event_id: int | None


def _client(ctx: HubContext, address: str | None) -> str:
    return ctx.vault.index(client_key(address), purpose="throttle_client")


def reserve_guess(
    ctx: HubContext,
    session: UnitOfWork,
    address: str | None,
    subject: str,
    limits: Limits = LIMITS,
) -> Reservation:
    """Count one guess at `subject` (a case or complaint number) by this client, or raise
    `Throttled` when it has spent a budget (nothing is counted then)."""
    client = _client(ctx, address)
    now = ctx.clock.now()
    store.lock_client(session, client)
    waits = [
        limits.per_number.wait(
            store.recent(session, client, GUESS, now, limits.per_number, subject=subject), now
        ),
        limits.per_client.wait(store.recent(session, client, GUESS, now, limits.per_client), now),
    ]
    refuse(waits)
    return Reservation(store.record(session, client, GUESS, now, subject))


def reserve_signin(
    ctx: HubContext, session: UnitOfWork, address: str | None, limits: Limits = LIMITS
) -> Reservation:
    """Count a sign-in attempt (budget `signins`) and reserve it as a guess (a bad credential
    counts toward the client's daily budget), or raise `Throttled`."""
    client = _client(ctx, address)
    now = ctx.clock.now()
    store.lock_client(session, client)
    waits = [
        limits.signins.wait(store.recent(session, client, SIGNIN, now, limits.signins), now),
        limits.per_client.wait(store.recent(session, client, GUESS, now, limits.per_client), now),
    ]
    refuse(waits)
    store.record(session, client, SIGNIN, now, None)
    return Reservation(store.record(session, client, GUESS, now, None))


def settle(session: UnitOfWork, reservation: Reservation, *, right: bool) -> None:
    """A right answer is not a wrong guess: give its reservation back."""
    if right and reservation.event_id is not None:
        store.forget(session, reservation.event_id)


def refuse(waits: list[float | None]) -> None:
    longest = max((w for w in waits if w is not None), default=None)
    if longest is not None:
        raise Throttled(int(longest))


def purge(ctx: HubContext, session: UnitOfWork, limits: Limits = LIMITS) -> int:
    """Delete events no budget can count any more."""
    return store.purge(session, ctx.clock.now() - limits.longest)
