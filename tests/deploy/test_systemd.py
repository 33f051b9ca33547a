"""`deploy/systemd/`: the units pass `systemd-analyze verify`, score as hardened in
`systemd-analyze security`, run commands `hub` accepts, and the sysusers and tmpfiles files
make the user and folders the units expect.

Each check runs against a scratch root (`--root`): systemd's own units copied in, ours in
`/etc/systemd/system`, and this checkout's `hub` entry point where the units expect the
installed one (`/opt/onematter/venv/bin/hub`), so `verify` also checks that each
ExecStart= names an executable and each dependency exists.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hub.cli import build_parser
from tests.support.tools import require

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
SERVICES = sorted(p.name for p in SYSTEMD.glob("onematter-*.service"))
UNITS = [*SERVICES, "onematter.target"]
HUB = "/opt/onematter/venv/bin/hub"
#: `systemd-analyze security` scores 0 (locked down) to 10 (exposed); below 2 reads "OK".
MAX_EXPOSURE = 2.0


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((SYSTEMD / name).read_text(encoding="utf-8"))
    return parser


def analyze() -> str:
    return require("systemd-analyze", debian_package="systemd")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    analyze()
    root = tmp_path_factory.mktemp("root")
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for name in UNITS:
        shutil.copy(SYSTEMD / name, root / "etc/systemd/system" / name)
    hub = root / HUB.lstrip("/")
    hub.parent.mkdir(parents=True)
    installed = Path(sys.executable).parent / "hub"
    shutil.copy(installed, hub)  # the console script pip wrote for this checkout
    return root


def test_the_processes_each_have_a_unit() -> None:
    assert SERVICES == [
        "onematter-api.service",
        "onematter-connector.service",
        "onematter-migrate.service",
        "onematter-relay.service",
        "onematter-scheduler.service",
    ]


@pytest.mark.parametrize("name", UNITS)
def test_systemd_analyze_verify_passes_without_a_warning(root: Path, name: str) -> None:
    done = subprocess.run(
        [analyze(), "verify", "--man=no", f"--root={root}", name],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # unknown keys are only warned about


def test_verify_catches_a_broken_unit(root: Path) -> None:
    """The check above can fail: a misspelt key, a missing executable, a missing unit."""
    broken = (SYSTEMD / "onematter-relay.service").read_text(encoding="utf-8")
    broken = broken.replace("NoNewPrivileges=yes", "NoNewPrivilege=yes")
    broken = broken.replace(HUB, "/opt/onematter/venv/bin/hubb")
    broken = broken.replace("PartOf=onematter.target", "Requires=onematter-nope.service")
    (root / "etc/systemd/system/onematter-broken.service").write_text(broken, encoding="utf-8")
    done = subprocess.run(
        [analyze(), "verify", "--man=no", f"--root={root}", "onematter-broken.service"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "NoNewPrivilege" in done.stderr
    assert "hubb" in done.stderr
    assert "onematter-nope.service" in done.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_hardened(root: Path, name: str) -> None:
    service = unit(name)["Service"]
    assert service.get("User") == "onematter" or service.get("DynamicUser") == "yes"
    for key, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "StateDirectory": "onematter",
        "EnvironmentFile": "/etc/onematter/hub.env",
        "CapabilityBoundingSet": "",
    }.items():
        assert service.get(key) == value, f"{name}: {key}={service.get(key)}"
    done = subprocess.run(
        [analyze(), "security", "--offline=true", f"--root={root}", name],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", done.stdout)
    assert match, done.stdout + done.stderr
    exposure = float(match.group(1))
    print(f"{name}: exposure {exposure}")
    assert exposure <= MAX_EXPOSURE


def test_the_services_share_one_hardening_block() -> None:
    """The block below the marker line is the same in every unit, so none falls behind."""
    blocks = {
        name: (SYSTEMD / name)
        .read_text(encoding="utf-8")
        .partition("# --- the same")[2]
        .partition("\n[")[0]
        for name in SERVICES
    }
    assert all(blocks.values())
    assert len(set(blocks.values())) == 1


@pytest.mark.parametrize("name", SERVICES)
def test_each_exec_start_is_a_command_hub_accepts(name: str) -> None:
    argv = shlex.split(unit(name)["Service"]["ExecStart"])
    assert argv[0] == HUB
    args = build_parser().parse_args(argv[1:])  # SystemExit on an unknown option
    assert callable(args.func)


def test_the_target_starts_every_long_running_process() -> None:
    wants = unit("onematter.target")["Unit"]["Wants"].split()
    assert sorted(wants) == [s for s in SERVICES if s != "onematter-migrate.service"]
    for name in wants:
        assert unit(name)["Install"]["WantedBy"] == "onematter.target"


def test_sysusers_and_tmpfiles_make_the_user_and_the_folders(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("systemd-tmpfiles gives the folders to onematter: that takes root")
    sysusers = require("systemd-sysusers", debian_package="systemd")
    tmpfiles = require("systemd-tmpfiles", debian_package="systemd")
    (tmp_path / "etc").mkdir()
    subprocess.run(
        [sysusers, f"--root={tmp_path}", str(SYSTEMD / "sysusers-onematter.conf")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    passwd = (tmp_path / "etc/passwd").read_text(encoding="utf-8")
    assert re.search(r"^onematter:x:\d+:\d+:OneMatter hub:/var/lib/onematter:", passwd, re.M)
    done = subprocess.run(
        [tmpfiles, f"--root={tmp_path}", "--create", str(SYSTEMD / "tmpfiles-onematter.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    keys = tmp_path / "etc/onematter/keys"
    assert keys.is_dir()
    assert keys.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "etc/onematter").stat().st_mode & 0o777 == 0o750


def test_hub_admin_runs_as_the_units_do() -> None:
    """The operator's wrapper uses the units' user, environment file and executable."""
    text = (SYSTEMD / "hub-admin").read_text(encoding="utf-8")
    subprocess.run(["sh", "-n", str(SYSTEMD / "hub-admin")], check=True, timeout=30)
    service = unit("onematter-api.service")["Service"]
    assert f"--uid={service['User']}" in text
    assert f"EnvironmentFile={service['EnvironmentFile']}" in text
    assert f'{HUB} "$@"' in text


def test_the_metrics_ports_of_one_host_differ() -> None:
    """All four long-running units may run on one host: each opens its own metrics port."""
    ports = []
    for name in SERVICES:
        argv = shlex.split(unit(name)["Service"]["ExecStart"])
        args = build_parser().parse_args(argv[1:])
        if getattr(args, "metrics_port", None) is not None:
            ports.append(args.metrics_port)
        if getattr(args, "port", None) is not None:
            ports.append(args.port)
    assert len(ports) == 4
    assert len(set(ports)) == len(ports)
