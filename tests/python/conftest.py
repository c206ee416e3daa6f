"""Fixtures for the browser and API contract tests.

Each server is the real binary (`$GUARDLINE_BIN serve --demo`) in its own temp
data dir on a free loopback port, so the tests see exactly what a user would.
"""

import base64
import hashlib
import hmac
import os
import re
import secrets
import signal
import socket
import string
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

# One password for every demo account of every server this run starts.
DEMO_PASSWORD = f"Demo-{secrets.token_hex(8)}-Pw9"
ADDRESS = "Rua Augusta 100, 1100-053 Lisboa"
READY_TIMEOUT = 120  # first start seeds ~1,000 encrypted contacts
LOG_TAIL_LINES = 60

_servers = []  # every server started, for the log tails on failure


@dataclass
class Server:
    base: str
    log: Path
    proc: subprocess.Popen


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path, lines=LOG_TAIL_LINES):
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as e:
        return f"(no log: {e})"


def start_server(data_dir: Path, env_extra=None) -> Server:
    binary = os.environ.get("GUARDLINE_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.fail("GUARDLINE_BIN must name the built guardline binary (scripts/test sets it)")
    port = _free_port()
    env = dict(os.environ, GUARDLINE_DEMO_PASSWORD=DEMO_PASSWORD, **(env_extra or {}))
    # Keep everything inside data_dir, whatever the caller's environment says.
    env.pop("GUARDLINE_DATABASE_URL", None)
    env.pop("GUARDLINE_MASTER_KEY_FILE", None)
    log = data_dir.parent / f"{data_dir.name}.log"
    # A file, not a pipe: a pipe nobody reads would block a chatty server.
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [binary, "serve", "--demo", "--data-dir", str(data_dir),
             "--port", str(port), "--host", "127.0.0.1"],
            cwd=data_dir, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log, proc)
    _servers.append(server)

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"guardline exited with {proc.returncode} before ready:\n{_tail(log)}")
        try:
            r = requests.get(server.base + "/health", timeout=2)
            if r.status_code == 200 and r.json().get("status") == "ok":
                return server
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.5)
    stop_server(server)
    pytest.fail(f"guardline not ready after {READY_TIMEOUT}s:\n{_tail(log)}")


def stop_server(server: Server):
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("guardline-data")
    s = start_server(data_dir)
    yield s
    stop_server(s)


def pytest_terminal_summary(terminalreporter, exitstatus):
    """On any failure, show what the servers said: the cause is often there."""
    if exitstatus == 0:
        return
    for s in _servers:
        terminalreporter.section(f"guardline server log tail ({s.base}, {s.log})")
        terminalreporter.write_line(_tail(s.log))


# ---- API helpers ---------------------------------------------------------

def api_login(base, email, password=DEMO_PASSWORD):
    r = requests.post(f"{base}/api/v1/auth/login",
                      json={"email": email, "password": password}, timeout=30)
    assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
    return r.json()["token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def api_lookup(base, token, phone, interaction=None):
    params = {"phone": phone}
    if interaction:
        params["interactionId"] = interaction
    r = requests.get(f"{base}/api/v1/contacts/lookup", params=params,
                     headers=bearer(token), timeout=30)
    assert r.status_code == 200, f"lookup: {r.status_code} {r.text}"
    return r


_cti_tokens = {}


def cti_token(base):
    """The phone system's integration token (scope cti.events), made once per server by the admin."""
    if base not in _cti_tokens:
        admin = api_login(base, "admin@demo.test")
        r = requests.post(f"{base}/api/v1/tokens", json={"name": "PBX", "scopes": ["cti.events"]},
                          headers=bearer(admin), timeout=30)
        assert r.status_code == 201, f"cti token: {r.status_code} {r.text}"
        _cti_tokens[base] = r.json()["token"]
    return _cti_tokens[base]


def call_event(base, kind, call_id, agent=None, phone=None):
    body = {"type": kind, "callId": call_id, "queue": "support"}
    if agent:
        body["agent"] = agent
    if phone:
        body["from"] = phone
    r = requests.post(f"{base}/api/v1/cti/events", json=body, headers=bearer(cti_token(base)), timeout=30)
    assert r.status_code == 202, f"cti {kind}: {r.status_code} {r.text}"
    return r.json()


def answered_call(base, phone, agent):
    """A call from phone that the PBX says rang and was answered by agent: the live
    interaction need-to-know asks for before an agent profile opens the caller."""
    call_id = "py-" + secrets.token_hex(8)
    call_event(base, "ringing", call_id, agent, phone)
    return call_event(base, "answered", call_id, agent, phone)["interactionId"]


def digits(text):
    return re.sub(r"\D", "", text)


@dataclass
class Contact:
    id: str
    fields: dict  # the raw values it was created with
    surname: str  # a random word that appears nowhere else


@pytest.fixture(scope="session")
def contact(server):
    """A fresh contact with a random phone, created by the DPO through the API."""
    surname = "".join(secrets.choice(string.ascii_lowercase) for _ in range(9)).capitalize()
    fields = {
        "name": f"Marta {surname}",
        "phone": "+35191" + "".join(secrets.choice(string.digits) for _ in range(7)),
        "email": f"marta.{surname.lower()}@example.com",
        "address": ADDRESS,
        "birthDate": "1980-04-02",
    }
    token = api_login(server.base, "dpo@demo.test")
    r = requests.post(f"{server.base}/api/v1/contacts", json={"fields": fields, "stage": "customer"},
                      headers=bearer(token), timeout=30)
    assert r.status_code == 201, f"create contact: {r.status_code} {r.text}"
    return Contact(r.json()["id"], fields, surname)


# ---- Browser helpers -----------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Debian's Chromium, not a Playwright download; root needs --no-sandbox.
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def new_page(browser, server):
    """Factory: a page in its own browser context (own cookies = own user)."""
    contexts = []

    def make():
        ctx = browser.new_context(base_url=server.base)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def submit(page, form):
    """Click the form's submit button and wait for the page it leads to.

    Every console form navigates (POST-redirect-GET, or a GET search), so
    waiting here keeps the next step from racing the submission.
    """
    with page.expect_navigation():
        page.locator(form).locator("button, input[type=submit]").first.click()


def console_login(page, email, password=DEMO_PASSWORD):
    page.goto("/login")
    page.fill("form#login input[name=email]", email)
    page.fill("form#login input[name=password]", password)
    submit(page, "form#login")
    page.wait_for_url(re.compile(r"/lookup(\?|$)"))


def console_lookup(page, phone, interaction=None):
    page.goto(f"/lookup?interaction={interaction}" if interaction else "/lookup")
    page.fill("form#lookup input[name=phone]", phone)
    submit(page, "form#lookup")
    page.wait_for_url(re.compile(r"/lookup$"))
    assert digits(phone) not in page.url, "the looked-up number must not reach the URL"


def totp(secret_b32, at=None, step=30):
    """RFC 6238 with SHA-1 and 6 digits, as authenticator apps compute it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
