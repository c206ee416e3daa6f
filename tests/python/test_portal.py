"""The privacy portal as a person uses it, in a real browser: a code from the outbox,
their data, consent withdrawn as easily as given, an access request answered by the
DPO in the console and downloaded, an erasure asked and carried out. Then the same
sign-in through a real SMTP relay (aiosmtpd), and the page at phone width."""

import base64
import email
import io
import json
import re
import secrets
import socket
import string
import time
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import api_login, bearer, console_login, start_server, stop_server, submit


def make_person(base):
    token = api_login(base, "dpo@demo.test")
    surname = "".join(secrets.choice(string.ascii_lowercase) for _ in range(9)).capitalize()
    fields = {"name": f"Inês {surname}", "phone": "+35196" + "".join(secrets.choice(string.digits) for _ in range(7)),
              "email": f"ines.{surname.lower()}@example.com"}
    r = requests.post(f"{base}/api/v1/contacts", json={"fields": fields, "stage": "customer"}, headers=bearer(token), timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["id"], fields


def data_dir(server):
    return server.log.parent / server.log.stem


def code_from_outbox(server, address, seen=0, timeout=10):
    """The newest code written to the development outbox for address, after `seen` earlier ones."""
    path = data_dir(server) / "outbox.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            blocks = [b for b in path.read_text().split("----- ") if f"To: {address}\n" in b]
            if len(blocks) > seen:
                return re.search(r"\b(\d{6})\b", blocks[-1]).group(1), len(blocks)
        time.sleep(0.1)
    pytest.fail(f"no code for {address} in {path}")


def messages_for(server, address):
    path = data_dir(server) / "outbox.log"
    return [b for b in path.read_text().split("----- ") if f"To: {address}\n" in b] if path.exists() else []


def portal_sign_in(page, server, address):
    page.goto("/privacy")
    seen = len(messages_for(server, address))
    page.fill("#address", address)
    submit(page, "form#ask-code")
    code, _ = code_from_outbox(server, address, seen)
    page.fill("#code", code)
    submit(page, "form#enter-code")
    page.wait_for_url(re.compile(r"/privacy/[0-9a-f-]+/me"))


def unlabelled_inputs(page):
    return page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select')]
        .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.closest('label'))
        .map(e => e.name)""")


def test_person_uses_the_portal_end_to_end(browser, server, new_page):
    contact, fields = make_person(server.base)
    address = fields["email"]
    person = new_page()

    # In Portuguese, chosen on the first page; every field has its label.
    person.goto("/privacy")
    with person.expect_navigation():
        person.click("a[hreflang=pt]")
    assert person.locator("html").get_attribute("lang") == "pt"
    assert "Enviar-me um código" in person.content()
    assert unlabelled_inputs(person) == []
    # The keyboard reaches the address field and sends the form.
    person.fill("#address", address)
    seen = len(messages_for(server, address))
    person.focus("#address")
    with person.expect_navigation():
        person.keyboard.press("Enter")
    code, _ = code_from_outbox(server, address, seen)
    assert "É válido durante 10 minutos" in messages_for(server, address)[-1]
    assert unlabelled_inputs(person) == []
    person.fill("#code", code)
    submit(person, "form#enter-code")
    person.wait_for_url(re.compile(r"/me$"))
    assert fields["name"] in person.content()
    assert "Os seus dados" in person.content()
    assert unlabelled_inputs(person) == []

    # Consent given, then withdrawn: the same single button.
    consent = 'button[data-purpose=outbound_marketing][data-channel=email]'
    assert "Dar consentimento" in person.locator(consent).inner_text()
    with person.expect_navigation():
        person.click(consent)
    assert "Retirar consentimento" in person.locator(consent).inner_text()
    with person.expect_navigation():
        person.click(consent)
    assert "Dar consentimento" in person.locator(consent).inner_text()
    dpo_token = api_login(server.base, "dpo@demo.test")
    ledger = requests.get(f"{server.base}/api/v1/contacts/{contact}/consents", headers=bearer(dpo_token), timeout=30).json()
    decisions = [e["decision"] for e in ledger["history"] if e["purpose"] == "outbound_marketing" and e["channel"] == "email"]
    assert sorted(decisions) == ["granted", "withdrawn"]

    # An access request, answered by the DPO in the console, downloaded by the person.
    person.select_option("#kind", "access")
    submit(person, "form#file-request")
    assert "Recebemos o seu pedido" in person.content()
    request_id = person.locator("table.requests tr[data-request]").first.get_attribute("data-request")

    dpo = new_page()
    console_login(dpo, "dpo@demo.test")
    dpo.goto(f"/requests/{request_id}")
    assert "In progress" in dpo.locator("#request-state").inner_text()
    submit(dpo, "form#fulfil-request")
    assert "Completed" in dpo.locator("#request-state").inner_text()
    told = messages_for(server, address)[-1]
    assert "Respondido" in told

    person.reload()
    with person.expect_download() as download:
        person.click(f'tr[data-request="{request_id}"] a.download')
    with open(download.value.path(), "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    data = json.loads(archive.read("data.json"))
    assert any(f["key"] == "email" and f["value"] == address for f in data["fields"])

    # Erasure: asked here, approved by the team, and the person is gone.
    person.select_option("#kind", "erasure")
    submit(person, "form#file-request")
    erasure_id = person.locator("table.requests tr[data-request]").first.get_attribute("data-request")
    dpo.goto(f"/requests/{erasure_id}")
    assert "Awaiting approval" in dpo.locator("#request-state").inner_text()
    submit(dpo, "form#fulfil-request")
    assert "Completed" in dpo.locator("#request-state").inner_text()
    r = requests.get(f"{server.base}/api/v1/contacts/{contact}", headers=bearer(dpo_token), timeout=30)
    assert r.status_code in (404, 410)
    person.reload()
    assert "/me" not in person.url, "an erased person's session ends"


def test_portal_fits_a_phone(browser, server):
    ctx = browser.new_context(base_url=server.base, viewport={"width": 360, "height": 740}, locale="pt-PT")
    try:
        page = ctx.new_page()
        page.goto("/privacy")
        # Portuguese from the browser's language, and nothing wider than the screen.
        assert page.locator("html").get_attribute("lang") == "pt"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        size = page.locator("form#ask-code button").bounding_box()
        assert size["height"] >= 44, "touch targets of at least 44 px"
    finally:
        ctx.close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def relay_server(tmp_path_factory):
    """A relay (aiosmtpd) keeping what it receives, and a Guardline sending through it."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    handler = Keep()
    port = _free_port()
    relay = Controller(handler, hostname="127.0.0.1", port=port)
    relay.start()
    guardline = start_server(tmp_path_factory.mktemp("guardline-smtp"),
                             {"GUARDLINE_SMTP_URL": f"smtp://127.0.0.1:{port}?from=privacy@demo.test"})
    yield guardline, handler
    stop_server(guardline)
    relay.stop()


def test_codes_go_through_the_smtp_relay(relay_server):
    server, relay = relay_server
    _, fields = make_person(server.base)
    s = requests.Session()
    start = s.get(f"{server.base}/privacy", timeout=30)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', start.text).group(1)
    r = s.post(start.url.split("?")[0] + "/code", data={"_csrf": csrf, "address": fields["email"]}, allow_redirects=False, timeout=30)
    assert r.status_code == 303
    challenge_url = server.base + r.headers["Location"]
    deadline = time.monotonic() + 10
    while not relay.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert relay.messages, "the relay received nothing"
    sender, recipients, content = relay.messages[-1]
    assert sender == "privacy@demo.test" and recipients == [fields["email"]]
    message = email.message_from_bytes(content)
    body = message.get_payload(decode=True).decode()
    code = re.search(r"\b(\d{6})\b", body).group(1)
    # Nothing of the message reached the development outbox or the server's log.
    assert not (data_dir(server) / "outbox.log").exists()
    assert fields["email"] not in server.log.read_text()

    page = s.get(challenge_url, timeout=30)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    challenge = re.search(r"c=([A-Za-z0-9_-]+)", challenge_url).group(1)
    r = s.post(challenge_url.split("/code")[0] + "/verify", data={"_csrf": csrf, "c": challenge, "code": code}, allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"].endswith("/me")
    me = s.get(server.base + r.headers["Location"], timeout=30)
    assert fields["name"] in me.text
