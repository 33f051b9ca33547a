"""`deploy/Dockerfile` and `deploy/compose.yaml`.

There is no Docker daemon on the build machines (and no registry to pull `python:3.11-slim`
from), so the image is not built here. What can be checked offline is:
- the Dockerfile: the base image, a non-root user, every COPY source present in the context
  the `.dockerignore` leaves, the command one `hub` accepts, and a wheel built from exactly
  the files the build stage copies holding every file of the packages (a package-data gap
  would ship a broken image);
- compose.yaml: valid against the Compose specification's JSON Schema (the copy vendored
  in check-jsonschema), `docker compose config` when docker's compose plugin is there (it is
  not in Debian's archive: skipped otherwise), and its wiring: the three RabbitMQ nodes are
  the cluster's configured peers, the hub's URL names all three, the hub's commands parse,
  and every HUB_ variable it sets is one env.example documents.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub.broker.transport import node_urls
from hub.cli import build_parser
from tests.support.image import build_wheel, instructions
from tests.support.tools import require
from tests.unit.test_deploy_env import listed

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
#: What compose.yaml interpolates; a real deployment keeps them in deploy/.env.
COMPOSE_ENV = {
    "POSTGRES_PASSWORD": "pgsecret1",
    "RABBITMQ_PASSWORD": "mqsecret1",
    "RABBITMQ_COOKIE": "c" * 40,
}


# ---------------------------------------------------------------- Dockerfile


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def test_the_image_is_python_3_11_slim_and_runs_as_a_user() -> None:
    stage = final_stage()
    assert stage[0] == ("FROM", "python:3.11-slim")
    assert all(rest.startswith("python:3.11-slim") for w, rest in instructions() if w == "FROM")
    users = [rest for word, rest in stage if word == "USER"]
    assert users, "the final stage must switch to a user"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000  # numeric: Kubernetes' runAsNonRoot checks it
    created = " ".join(rest for word, rest in stage if word == "RUN")
    assert f"--uid {uid}" in created


def test_the_image_runs_a_command_hub_accepts() -> None:
    stage = dict(final_stage())
    entrypoint, command = json.loads(stage["ENTRYPOINT"]), json.loads(stage["CMD"])
    assert entrypoint == ["hub"]
    args = build_parser().parse_args(command)
    assert args.func.__name__ == "cmd_serve" and args.host == "0.0.0.0"


def test_every_copied_source_is_in_the_build_context() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {ln[1:].removesuffix("/**") for ln in ignore if ln.startswith("!")}
    assert "**" in ignore  # everything else stays out (.venv, var/, keys, .git)
    for word, rest in instructions():
        if word == "COPY" and "--from" not in rest:
            for source in shlex.split(rest)[:-1]:
                assert (ROOT / source).exists(), source
                assert source.rstrip("/") in kept, f"{source} is left out by .dockerignore"


def test_a_wheel_built_from_the_copied_files_holds_every_package_file(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    context = tmp_path / "src"
    inside = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(p.relative_to(context))
        for package in ("hub", "connectors", "privacy", "schemas")
        for p in (context / package).rglob("*")
        if p.is_file() and not p.name.endswith(".egg-info")
    }
    missing = sorted(expected - inside)
    assert not missing, f"the image would lack these (pyproject package-data): {missing[:10]}"
    assert any(n.endswith("hub/cli.py") for n in inside)


# ---------------------------------------------------------------- compose.yaml


def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return doc


def hub_services() -> dict[str, dict[str, Any]]:
    return {
        n: s for n, s in compose()["services"].items() if s.get("image") == "onematter-hub:latest"
    }


def interpolate(value: str) -> str:
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda m: COMPOSE_ENV[m.group(1)], value)


def test_compose_yaml_is_valid_against_the_compose_specification(tmp_path: Path) -> None:
    check = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec"]
    done = subprocess.run([*check, str(DEPLOY / "compose.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        (DEPLOY / "compose.yaml")
        .read_text(encoding="utf-8")
        .replace("restart: unless-stopped", "restart: 3", 1),
        encoding="utf-8",
    )
    assert subprocess.run([*check, str(broken)], capture_output=True).returncode != 0


def test_docker_compose_config_accepts_it() -> None:
    docker = require("docker", why_optional="Docker is not part of the hub's machines")
    if subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("docker's compose plugin is not installed (Debian's archive does not ship it)")
    done = subprocess.run(
        [docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, **COMPOSE_ENV},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_compose_runs_postgres_three_rabbitmq_nodes_and_every_hub_process() -> None:
    services = compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    commands = {name: tuple(s["command"]) for name, s in hub_services().items() if name != "setup"}
    assert sorted(commands.values()) == sorted(
        [
            ("serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"),
            ("relay", "--metrics-port", "9100"),
            ("connector", "all", "--metrics-port", "9100"),
            ("scheduler", "--metrics-port", "9100"),
        ]
    )
    for name, argv in commands.items():
        assert callable(build_parser().parse_args(list(argv)).func), name
    setup = hub_services()["setup"]["command"][0]
    for step in ("hub db upgrade", "hub registry load", "hub broker setup"):
        assert step in setup
    for name, service in hub_services().items():
        if name != "setup":
            assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully"
            port = "8000" if name == "api" else service["command"][-1]
            assert f"127.0.0.1:{port}/" in service["healthcheck"]["test"][-1]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]


def test_the_rabbitmq_nodes_are_one_cluster_and_the_hub_knows_every_node() -> None:
    services = compose()["services"]
    nodes = sorted(
        n for n, s in services.items() if str(s.get("image", "")).startswith("rabbitmq:")
    )
    assert nodes == ["rabbit1", "rabbit2", "rabbit3"]
    conf = (DEPLOY / "rabbitmq" / "compose-cluster.conf").read_text(encoding="utf-8")
    peers = re.findall(
        r"^cluster_formation\.classic_config\.nodes\.\d+ = rabbit@(\S+)$", conf, re.M
    )
    assert sorted(peers) == sorted(services[n]["hostname"] for n in nodes)
    cookies = {services[n]["environment"]["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] for n in nodes}
    assert len(cookies) == 1  # one cookie, or the nodes refuse each other
    url = interpolate(hub_services()["relay"]["environment"]["HUB_AMQP_URL"])
    hosts = [re.search(r"@([^:/]+):5672", u).group(1) for u in node_urls(url)]  # type: ignore[union-attr]
    assert hosts == nodes
    assert all("mqsecret1" in u for u in node_urls(url))  # every node gets the credentials


def test_compose_sets_only_variables_env_example_documents() -> None:
    documented = listed().keys()
    for name, service in hub_services().items():
        assert service["env_file"] == ["env.example"]
        unknown = {k for k in service["environment"] if k.startswith("HUB_")} - documented
        assert not unknown, f"{name}: {unknown}"
