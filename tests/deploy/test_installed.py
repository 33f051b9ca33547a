"""The hub as the image installs it: the wheel built from the files deploy/Dockerfile copies,
installed (not editable) into a fresh virtual environment, run from outside the checkout.

Docker cannot run here, so this is the image's install step without the container: the
hub's own code, migrations, templates and schemas must all come from site-packages. The
third-party packages are the checkout's (the fresh environment sees them through a .pth
line), so nothing is downloaded.
"""

from __future__ import annotations

import os
import site
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.image import ROOT, build_wheel


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("image")
    wheel = build_wheel(tmp)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies: this checkout's site-packages as a plain path (its .pth files, the
    # editable hook of this checkout among them, are not run from there).
    (Path(purelib) / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run(
        [*pip, "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv


def env_for(tmp: Path) -> dict[str, str]:
    # HUB_ settings and a PYTHONPATH (a developer may point it at a checkout) stay out
    keep = {k: v for k, v in os.environ.items() if not k.startswith("HUB_") and k != "PYTHONPATH"}
    return {
        **keep,
        "HUB_DATA_DIR": str(tmp),
        "HUB_DATABASE_URL": f"sqlite:///{tmp / 'hub.db'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def test_the_installed_hub_runs_from_site_packages(installed: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import hub, schemas; print(hub.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert where.startswith(str(installed)), where
    assert not where.startswith(str(ROOT))

    hub = str(installed / "bin" / "hub")
    for args in (["db", "upgrade"], ["registry", "load", str(ROOT / "deploy/registry/demo.yaml")]):
        done = subprocess.run(
            [hub, *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]

    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [hub, "serve", "--port", str(port)], cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "hub serve did not start"
            time.sleep(0.2)
        assert httpx.get(f"{base}/readyz").json()["status"] == "ready"
        assert httpx.get(f"{base}/openapi.json").json()["paths"]  # schemas/ from the wheel
        page = httpx.get(f"{base}/web/")  # templates from the wheel
        assert page.status_code == 200 and "<html" in page.text.lower()
        found = httpx.get(f"{base}/v1/institutions", params={"category": "consumer"})
        assert found.status_code == 200 and found.json()  # the registry it loaded
        signin = httpx.get(f"{base}/web/login")
        assert signin.status_code == 200
    finally:
        server.terminate()
        server.wait(30)
        log.close()
