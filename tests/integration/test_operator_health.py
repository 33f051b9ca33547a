"""Issue 14, items 6 and 8: what an operator sees. One line and a non-zero exit when the
database or the broker is unreachable or refuses; help for every option; libraries quiet;
/readyz checks a configured broker; each long-running process serves /metrics and /healthz
on --metrics-port; HTTP requests counted by route template."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.broker import metrics
from hub.cli import build_parser
from hub.delivery.settings import DeliverySettings
from hub.operator_errors import UNREACHABLE
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    delivery_settings,
    enqueue_many,
    env_for,
    set_delivery,
    teardown,
    wait_for,
)
from tests.support.hubctx import make_hub
from tests.support.rabbit_nodes import free_port

#: The retry tiers `hub broker setup` declares when HUB_RETRY_DELAYS is not set.
DEFAULTS = DeliverySettings().retry_delays


def _options(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
    out: list[tuple[str, argparse.Action]] = []
    for action in parser._actions:  # argparse has no public walk of its tree
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help for c in action._choices_actions}
            for name, sub in action.choices.items():
                assert helps.get(name), f"{path} {name} has no help"
                out += _options(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            out.append((path, action))
    return out


def test_every_command_and_option_has_help() -> None:
    options = _options(build_parser(), "hub")
    assert len(options) > 40
    missing = [f"{p} {a.option_strings or a.dest}" for p, a in options if not a.help]
    assert missing == []


def _hub(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HUB_AMQP_URL", None)
    env.update({"HUB_DATA_DIR": str(tmp_path), "HUB_DATABASE_URL": f"sqlite:///{tmp_path}/h.db"})
    env.update(extra)
    return env


def _one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == UNREACHABLE, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = [ln for ln in done.stderr.splitlines() if ln.strip() and " WARNING hub." not in ln]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.rabbitmq
def test_an_unreachable_or_refusing_broker_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, amqp_url: str
) -> None:
    env = _env(tmp_path, HUB_AMQP_LIMITS="arguments", HUB_AMQP_PREFIX="tcli")
    assert _hub(["db", "upgrade"], env).returncode == 0
    closed = f"amqp://guest:guest@127.0.0.1:{free_port()},127.0.0.1:{free_port()}"
    line = _one_line(_hub(["broker", "setup"], {**env, "HUB_AMQP_URL": closed}))
    assert line.startswith("无法连接消息代理") and "cannot reach the broker" in line
    wrong = amqp_url.replace("guest:guest@", "guest:wrong-password@")
    line = _one_line(_hub(["broker", "setup"], {**env, "HUB_AMQP_URL": wrong}))
    assert line.startswith("消息代理拒绝登录") and "refused the login" in line
    assert "wrong-password" not in line


def test_a_database_in_a_missing_folder_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    env = _env(tmp_path, HUB_DATABASE_URL=f"sqlite:///{missing}/sub/hub.db")
    for command in (["token", "list"], ["deadletters", "list"]):
        line = _one_line(_hub(command, env))
        assert line.startswith("数据库所在的文件夹不存在") and "does not exist" in line, line
        assert str(missing / "sub") in line and "hub db upgrade" in line
        assert not missing.exists()
    # `hub db upgrade` creates the database, its folder too (0700); then it serves
    assert _hub(["db", "upgrade"], env).returncode == 0
    assert (missing / "sub" / "hub.db").exists() and _mode(missing / "sub") == 0o700
    assert _hub(["token", "list"], env).returncode == 0


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.postgres
def test_an_unreachable_or_refusing_database_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, pg_admin_url: str
) -> None:
    down = _env(tmp_path, HUB_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/x")
    line = _one_line(_hub(["token", "list"], down))
    assert line.startswith("无法连接数据库") and "cannot reach the database" in line
    nobody = _env(tmp_path, HUB_DATABASE_URL="postgresql://nobody:s3cret@127.0.0.1:5432/postgres")
    line = _one_line(_hub(["token", "list"], nobody))
    assert line.startswith("数据库拒绝登录") and "s3cret" not in line
    empty = _env(tmp_path)  # a database never migrated
    line = _one_line(_hub(["deadletters", "list"], empty))
    assert "hub db upgrade" in line


@pytest.mark.rabbitmq
def test_pika_is_quiet_unless_verbose(tmp_path: Path, amqp_url: str) -> None:
    settings = delivery_settings(amqp_url)
    env = _env(
        tmp_path,
        HUB_AMQP_URL=amqp_url,
        HUB_AMQP_LIMITS="arguments",
        HUB_AMQP_PREFIX=settings.prefix,
    )
    assert _hub(["db", "upgrade"], env).returncode == 0
    try:
        quiet = _hub(["broker", "setup"], env)
        assert quiet.returncode == 0, quiet.stderr
        assert "已声明 declared on 127.0.0.1:5672" in quiet.stdout
        assert " pika." not in quiet.stderr
        loud = _hub(["broker", "setup", "--verbose"], env)
        assert loud.returncode == 0 and " INFO pika." in loud.stderr
    finally:  # what `hub broker setup` declared: the default tiers, notify and portal
        teardown(amqp_url, replace(settings, retry_delays=DEFAULTS), ["notify", "portal"])


@pytest.mark.rabbitmq
def test_readyz_checks_a_configured_broker(sqlite_url: str, tmp_path: Path, amqp_url: str) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        for url, ready in (
            (amqp_url, True),
            (f"amqp://guest:guest@127.0.0.1:{free_port()}", False),
        ):
            ctx.settings = replace(ctx.settings, amqp_url=url)
            with TestClient(create_app(ctx)) as client:  # no probe installed: it still checks
                answer = client.get("/readyz")
            assert answer.status_code == (200 if ready else 503)
            assert answer.json()["checks"]["broker"] == ("ok" if ready else "unreachable")
            assert answer.json()["checks"]["database"] == "ok"
    finally:
        ctx.db.dispose()


def _figures(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def test_http_requests_are_counted_and_timed_by_route_template(
    sqlite_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        with TestClient(create_app(ctx)) as client:
            before = _figures(client.get("/metrics").text)
            for n in range(3):
                client.get(f"/v1/applications/310000-20261123-00000{n}-0")
            client.get("/no/such/page")
            after = _figures(client.get("/metrics").text)
        key = 'hub_http_requests_total{method="GET",route="/v1/applications/{no}",status="401"}'
        assert after[key] - before.get(key, 0) == 3
        count = 'hub_http_request_seconds_count{method="GET",route="/v1/applications/{no}"}'
        assert after[count] - before.get(count, 0) == 3
        unmatched = 'hub_http_requests_total{method="GET",route="unmatched",status="404"}'
        assert after[unmatched] - before.get(unmatched, 0) == 1
        assert not any("310000-2026" in k for k in after)  # never a case number as a label
    finally:
        ctx.db.dispose()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.rabbitmq
def test_the_relay_serves_its_own_metrics_and_health(
    sqlite_url: str, tmp_path: Path, amqp_url: str
) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    env = env_for(settings, sqlite_url)
    env["HUB_DATA_DIR"] = str(tmp_path)
    port = free_port()
    relay = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "relay", "--metrics-port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: _reachable(port), 30), relay.stderr
        enqueue_many(ctx, "pm-a", 20)
        base = f"http://127.0.0.1:{port}"

        def published() -> float:
            return _figures(_get(f"{base}/metrics")[1]).get("hub_relay_confirmed_total", 0)

        assert wait_for(lambda: published() == 20, 30), published()
        status, body = _get(f"{base}/healthz")
        health = json.loads(body)
        assert status == 200 and health["process"] == "relay" and health["pid"] == relay.pid
        assert health["broker"] == "connected" and health["confirmed"] == 20
        assert _get(f"{base}/readyz")[0] == 200  # connected: ready
        assert _get(f"{base}/other")[0] == 404
    finally:
        relay.terminate()
        relay.wait(20)
        metrics.install(ctx, DeliverySettings())
        teardown(amqp_url, settings, ["pm-a", "notify", "portal"])
        ctx.db.dispose()


def _reachable(port: int) -> bool:
    try:
        return _get(f"http://127.0.0.1:{port}/healthz")[0] in (200, 503)
    except OSError:
        time.sleep(0.1)
        return False


@pytest.mark.parametrize("command", [["relay"], ["connector", "all"]])
def test_with_the_broker_down_healthz_is_live_and_readyz_is_503(
    sqlite_url: str, tmp_path: Path, command: list[str]
) -> None:
    make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY).db.dispose()
    down = delivery_settings(f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F")
    env = env_for(down, sqlite_url)
    env["HUB_DATA_DIR"] = str(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", *command, "--metrics-port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: _reachable(port), 60)
        base = f"http://127.0.0.1:{port}"
        status, body = _get(f"{base}/healthz")  # liveness: the loop runs, no restart
        assert status == 200 and json.loads(body)["broker"] == "connecting", body
        status, body = _get(f"{base}/readyz")  # readiness: not while the broker is down
        assert status == 503 and json.loads(body)["status"] == "not ready", body
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_long_commands_report_progress(sqlite_url: str, tmp_path: Path) -> None:
    import io

    import yaml

    from hub.progress import ProgressLine
    from hub.services.registry import load

    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        seen: list[int] = []
        report = ctx.db.run(lambda s: load(ctx, s, SMALL_REGISTRY, progress=seen.append))
        doc = yaml.safe_load(SMALL_REGISTRY.read_text(encoding="utf-8"))
        total = len(doc.get("units", [])) + len(doc["institutions"])
        assert seen == list(range(len(doc.get("units", [])) + 1, total + 1))
        assert report.institutions_updated == len(doc["institutions"])
    finally:
        ctx.db.dispose()
    out = io.StringIO()
    line = ProgressLine("审计条目 audit entries checked", every=0, out=out)
    line(5000)
    quiet = ProgressLine("x", every=60, out=out)
    quiet(1)  # within its interval: nothing
    assert out.getvalue().startswith("… 审计条目 audit entries checked: 5000 (")
    assert out.getvalue().count("\n") == 1


@pytest.mark.rabbitmq
def test_setup_names_queues_that_still_carry_their_limits_as_arguments(
    tmp_path: Path, amqp_url: str
) -> None:
    """Queues an earlier build declared with x-delivery-limit and the rest as arguments
    cannot take the policies' form in place: setup says which and how to move them."""
    settings = delivery_settings(amqp_url)
    env = _env(tmp_path, HUB_AMQP_URL=amqp_url, HUB_AMQP_PREFIX=settings.prefix)
    assert _hub(["db", "upgrade"], env).returncode == 0
    try:
        old = _hub(["broker", "setup"], {**env, "HUB_AMQP_LIMITS": "arguments"})
        assert old.returncode == 0 and "limits as queue arguments" in old.stdout, old.stderr
        # policies imported with the definitions file: declare the queues only
        now = _hub(["broker", "setup", "--skip-policies"], {**env, "HUB_AMQP_LIMITS": "policy"})
        assert now.returncode == 1 and "Traceback" not in now.stderr
        assert now.stderr.startswith("已有队列的参数不同 / a queue exists with other arguments")
        assert "drain and delete them" in now.stderr
        refused = _hub(["broker", "setup"], {**env, "HUB_AMQP_LIMITS": "policy"})
        assert refused.returncode == 2 and "cannot write the policies" in refused.stderr
    finally:  # what `hub broker setup` declared: the default tiers, notify and portal
        teardown(amqp_url, replace(settings, retry_delays=DEFAULTS), ["notify", "portal"])


def test_serve_with_two_workers_counts_both_on_its_metrics_port(tmp_path: Path) -> None:
    """Each worker keeps its counters in prometheus_client's multiprocess files; the
    metrics port of `hub serve --workers 2` adds them up with the supervisor's own."""
    env = _env(tmp_path, HUB_BACKGROUND_OFF="embedded,scheduler", HUB_SCHEDULER="off")
    assert _hub(["db", "upgrade"], env).returncode == 0
    api, port = free_port(), free_port()
    command = ["serve", "--port", str(api), "--workers", "2", "--metrics-port", str(port)]
    server = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: _reachable(api), 60), server.stderr
        for _ in range(20):  # new connections: both workers answer some
            assert _get(f"http://127.0.0.1:{api}/healthz")[0] == 200
        figures = _figures(_get(f"http://127.0.0.1:{port}/metrics")[1])
        key = 'hub_http_requests_total{method="GET",route="/healthz",status="200"}'
        assert figures[key] >= 20
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        os.killpg(server.pid, 15)
        server.wait(20)
