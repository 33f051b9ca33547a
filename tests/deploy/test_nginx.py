"""`deploy/nginx/onematter.conf`: the reverse proxy in front of `hub serve`.

crossplane (nginx's own parser, in Python) checks every directive's name, place and
arguments without nginx; `nginx -t` and a real nginx then run the file, with only its
addresses, ports, certificate and log paths moved into a scratch folder, in front of uvicorn
started with the hub's own server options (`hub.server.server_options`) and the hub's own
reading of the client address (`hub.api.support.client_address`): TLS, the redirect, the
body limit, the rate limit of the public look-up, and a forged X-Forwarded-For not believed.
Debian ships nginx (nginx-light) and installing it here starts no server (policy-rc.d), so
under CI=true a missing nginx fails; `.ci/run` installs it.
"""

from __future__ import annotations

import datetime
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import crossplane
import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from hub.api.support import client_address
from hub.config import Settings
from hub.server import server_options
from tests.support.tools import require

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "onematter.conf"


def directives(text: str, tmp: Path) -> list[dict[str, object]]:
    """The site's directives, flattened, as crossplane reads them inside `http { }`."""
    (tmp / "site.conf").write_text(text, encoding="utf-8")
    (tmp / "main.conf").write_text(
        f"events {{}}\nhttp {{ include {tmp / 'site.conf'}; }}\n", encoding="utf-8"
    )
    parsed = crossplane.parse(str(tmp / "main.conf"), strict=True, check_ctx=True, check_args=True)
    assert parsed["errors"] == [], parsed["errors"]
    site = next(c for c in parsed["config"] if c["file"].endswith("site.conf"))
    flat: list[dict[str, object]] = []

    def walk(block: list[dict[str, object]], where: str) -> None:
        for d in block:
            flat.append({**d, "where": where})
            if "block" in d:
                walk(d["block"], f"{where}/{d['directive']} {' '.join(d['args'])}")  # type: ignore[arg-type]

    walk(site["parsed"], "http")
    return flat


def test_crossplane_reads_every_directive_in_its_place(tmp_path: Path) -> None:
    found = directives(SITE.read_text(encoding="utf-8"), tmp_path)
    assert len(found) > 30


def test_crossplane_catches_a_misspelt_directive(tmp_path: Path) -> None:
    broken = SITE.read_text(encoding="utf-8").replace("client_max_body_size", "client_max_body")
    with pytest.raises(AssertionError, match="unknown directive"):
        directives(broken, tmp_path)


def test_the_limits_match_the_hubs(tmp_path: Path) -> None:
    found = directives(SITE.read_text(encoding="utf-8"), tmp_path)

    def values(name: str) -> list[list[str]]:
        return [d["args"] for d in found if d["directive"] == name]  # type: ignore[misc]

    settings = Settings.from_env()
    assert values("client_max_body_size") == [[f"{settings.max_body_bytes // 2**20}m"]]
    assert values("client_header_timeout") == [[f"{settings.serve.header_timeout:g}s"]]
    assert values("client_body_timeout") == [[f"{settings.serve.body_timeout:g}s"]]
    assert values("proxy_set_header") == [
        ["Connection", ""],
        ["Host", "$host"],
        ["X-Forwarded-For", "$remote_addr"],
        ["X-Forwarded-Proto", "$scheme"],
    ]
    assert values("ssl_protocols") == [["TLSv1.2", "TLSv1.3"]]
    limited = {d["where"] for d in found if d["directive"] == "limit_req"}
    assert limited == {
        "http/server /location ^~ /v1/status/",
        "http/server /location = /web/status",
        "http/server /location = /web/login",
    }
    (log_format,) = values("log_format")
    logged = "".join(log_format[1:])
    for secret in ("$request ", "$args", "$query_string", "$request_uri", "$remote_addr"):
        assert secret not in logged + " "  # query codes and addresses stay out of the log


# ---------------------------------------------------------------- a real nginx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def whoami(request: Request) -> PlainTextResponse:
    await request.body()
    return PlainTextResponse(client_address(request) or "-")


@pytest.fixture(scope="module")
def upstream() -> Iterator[int]:
    """uvicorn with the options of every `hub serve`, answering the client address the hub
    would count a request under."""
    app = Starlette(routes=[Route("/{path:path}", whoami, methods=["GET", "POST"])])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            **{**server_options(Settings.from_env().serve), "log_level": "warning"},
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def nginx(upstream: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    binary = require("nginx", debian_package="nginx-light")
    tmp = tmp_path_factory.mktemp("nginx")
    cert, key = self_signed(tmp)
    http_port, https_port = free_port(), free_port()
    site = SITE.read_text(encoding="utf-8")
    for old, new in {
        "/etc/ssl/onematter/fullchain.pem": str(cert),
        "/etc/ssl/onematter/privkey.pem": str(key),
        "/var/log/nginx/onematter.access.log": str(tmp / "access.log"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    temp_paths = " ".join(
        f"{kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp / "nginx.conf").write_text(
        f"user root; worker_processes 1; daemon off; pid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{}}\n"
        f"http {{ {temp_paths} access_log off; include {tmp / 'site.conf'}; }}\n",
        encoding="utf-8",
    )
    base = [binary, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield http_port, https_port
    finally:
        process.terminate()
        process.wait(10)


def test_tls_and_the_redirect(nginx: tuple[int, int]) -> None:
    http_port, https_port = nginx
    plain = httpx.get(f"http://127.0.0.1:{http_port}/web/", headers={"Host": "hub.example.gov.cn"})
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://hub.example.gov.cn/web/"
    with httpx.Client(verify=False) as client:
        answer = client.get(f"https://127.0.0.1:{https_port}/healthz")
    assert answer.status_code == 200
    assert answer.headers["strict-transport-security"] == "max-age=63072000"


def test_a_forged_forwarded_for_is_not_believed(nginx: tuple[int, int], upstream: int) -> None:
    forged = {"X-Forwarded-For": "203.0.113.9"}
    # Directly from a trusted proxy address, the hub believes the header: that is the trust
    # HUB_TRUSTED_PROXIES gives, and why nginx must not pass a client's header on.
    assert httpx.get(f"http://127.0.0.1:{upstream}/x", headers=forged).text == "203.0.113.9"
    with httpx.Client(verify=False) as client:
        through = client.get(f"https://127.0.0.1:{nginx[1]}/web/", headers=forged)
    assert through.text == "127.0.0.1"  # the address nginx saw, not the forged one


def test_the_body_limit(nginx: tuple[int, int]) -> None:
    with httpx.Client(verify=False, timeout=30) as client:
        url = f"https://127.0.0.1:{nginx[1]}/v1/applications"
        assert client.post(url, content=b"x" * (1 << 20)).status_code == 200
        assert client.post(url, content=b"x" * (9 << 20)).status_code == 413


def test_the_public_look_up_is_rate_limited_per_client(nginx: tuple[int, int]) -> None:
    with httpx.Client(verify=False) as client:
        codes = [
            client.get(f"https://127.0.0.1:{nginx[1]}/v1/status/31000020261202000001").status_code
            for _ in range(40)
        ]
        other = client.get(f"https://127.0.0.1:{nginx[1]}/web/").status_code
    assert codes[:21] == [200] * 21  # the burst passes
    assert codes[21:].count(429) >= 15  # then about one every two seconds
    assert other == 200  # pages other than the look-ups are not limited
    print(f"look-up: {codes.count(200)} passed, {codes.count(429)} refused of 40")


def test_the_config_says_what_the_test_moved() -> None:
    """The fixture edits only addresses, ports and paths; anything else it would have to
    replace means the site file changed shape and the fixture must follow."""
    text = SITE.read_text(encoding="utf-8")
    assert len(re.findall(r"^\s*listen ", text, re.M)) == 4
