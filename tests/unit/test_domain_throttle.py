"""Throttle budgets over sliding windows, and who counts as one client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.throttle import Budget, Limits, client_key

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_a_budget_fits_until_its_limit_then_waits_for_the_oldest_to_leave() -> None:
    hourly = Budget(10, timedelta(hours=1))
    times = [NOW - timedelta(minutes=50 - i) for i in range(9)]
    assert hourly.wait(times, NOW) is None  # 9 in the window: a 10th fits
    times.append(NOW - timedelta(minutes=1))
    # 10 in the window: the oldest (50 minutes ago) leaves in 10 minutes
    assert hourly.wait(times, NOW) == 600
    # events older than the window do not count
    assert hourly.wait([NOW - timedelta(hours=2)] * 50, NOW) is None


def test_the_window_slides_rather_than_resetting_on_the_hour() -> None:
    """10 guesses at 10:59 and 10 more at 11:00 would be 20 in two minutes with a window
    reset on the hour; a sliding window refuses the 11th."""
    hourly = Budget(10, timedelta(hours=1))
    burst = [NOW - timedelta(seconds=70)] * 10
    wait = hourly.wait(burst, NOW)
    assert wait is not None and 3400 <= wait <= 3600


def test_an_overshoot_waits_until_enough_have_left() -> None:
    hourly = Budget(2, timedelta(hours=1))
    times = [NOW - timedelta(minutes=m) for m in (55, 40, 10)]
    # three counted, limit two: the 40-minute-old one must leave too (in 20 minutes)
    assert hourly.wait(times, NOW) == 1200


def test_the_contract_limits() -> None:
    limits = Limits()
    assert (limits.per_number.limit, limits.per_number.window) == (10, timedelta(hours=1))
    assert (limits.per_client.limit, limits.per_client.window) == (1000, timedelta(days=1))
    assert limits.signins.limit >= 20 and limits.signins.window == timedelta(minutes=1)


def test_a_client_is_an_ipv4_address_or_an_ipv6_slash_64() -> None:
    assert client_key("203.0.113.9") == "203.0.113.9"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert client_key(None) == "unknown" and client_key("testclient") == "testclient"
