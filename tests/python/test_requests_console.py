"""Browser test: the data protection team works the request queue in the console:
a restriction asked by letter is verified and carried out; an access request is
answered with its export package, downloaded as a ZIP. Agents have no queue."""

import io
import json
import secrets
import string
import zipfile

import requests

from conftest import api_login, bearer, console_login, submit


def make_contact(base, token):
    surname = "".join(secrets.choice(string.ascii_lowercase) for _ in range(9)).capitalize()
    fields = {"name": f"Rita {surname}", "phone": "+35193" + "".join(secrets.choice(string.digits) for _ in range(7)),
              "email": f"rita.{surname.lower()}@example.com"}
    r = requests.post(f"{base}/api/v1/contacts", json={"fields": fields, "stage": "customer"}, headers=bearer(token), timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["id"], fields


def file_request(base, token, kind, contact):
    r = requests.post(f"{base}/api/v1/requests", json={"kind": kind, "contactId": contact, "channel": "letter"},
                      headers=bearer(token), timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_dpo_works_the_queue_in_the_console(new_page, server):
    token = api_login(server.base, "dpo@demo.test")
    contact, fields = make_contact(server.base, token)
    restriction = file_request(server.base, token, "restriction", contact)
    access = file_request(server.base, token, "access", contact)

    page = new_page()
    console_login(page, "dpo@demo.test")
    page.goto("/requests")
    assert page.locator(f'#request-queue tr[data-request-id="{restriction}"]').count() == 1
    assert page.locator(f'#request-queue tr[data-request-id="{access}"]').count() == 1
    # The queue names the contact by reference, never by name.
    assert fields["name"] not in page.content()

    with page.expect_navigation():
        page.click(f'#request-queue tr[data-request-id="{restriction}"] a')
    assert "Received" in page.locator("#request-state").inner_text()
    page.select_option("form#verify-request select[name=method]", "identityDocument")
    submit(page, "form#verify-request")
    assert "In progress" in page.locator("#request-state").inner_text()
    page.select_option("form#fulfil-request select[name=ground]", "accuracyContested")
    submit(page, "form#fulfil-request")
    assert "Completed" in page.locator("#request-state").inner_text()
    limits = requests.get(f"{server.base}/api/v1/contacts/{contact}/restriction", headers=bearer(token), timeout=30).json()
    assert limits["restricted"] is True and limits["ground"] == "accuracyContested"

    page.goto(f"/requests/{access}")
    page.select_option("form#verify-request select[name=method]", "inPerson")
    submit(page, "form#verify-request")
    submit(page, "form#fulfil-request")
    assert "Completed" in page.locator("#request-state").inner_text()
    with page.expect_download() as download:
        page.click("#download-export")
    with open(download.value.path(), "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    assert set(archive.namelist()) == {"data.json", "index.html"}
    assert archive.testzip() is None
    data = json.loads(archive.read("data.json"))
    assert {"key": "name", "value": fields["name"]}.items() <= next(f for f in data["fields"] if f["key"] == "name").items()
    assert fields["name"] in archive.read("index.html").decode()

    page.goto("/requests")
    assert page.locator(f'#request-queue tr[data-request-id="{restriction}"]').count() == 0


def test_agents_have_no_queue(new_page):
    agent = new_page()
    console_login(agent, "inbound@demo.test")
    response = agent.goto("/requests")
    assert response.status == 403
    assert agent.locator('nav a[href="/requests"]').count() == 0


def test_dpo_places_a_hold_before_an_erasure(new_page, server):
    """An erasure request whose person still owes invoices: the DPO records the hold on the
    request's page, a second DPO carries it out, and only the held field is left."""
    token = api_login(server.base, "dpo@demo.test")
    contact, fields = make_contact(server.base, token)
    request = file_request(server.base, token, "erasure", contact)

    page = new_page()
    console_login(page, "dpo@demo.test")
    page.goto(f"/requests/{request}")
    page.select_option("form#verify-request select[name=method]", "identityDocument")
    submit(page, "form#verify-request")
    page.select_option("form#place-hold select[name=ground]", "invoices")
    page.fill("form#place-hold input[name=fields]", "name")
    submit(page, "form#place-hold")
    assert "Hold placed" in page.content()
    assert page.locator("#erasure-holds li[data-hold]").count() == 1

    admin_token = api_login(server.base, "admin@demo.test")
    profiles = requests.get(f"{server.base}/api/v1/access-profiles", headers=bearer(admin_token), timeout=30).json()["items"]
    protection = next(p["id"] for p in profiles if p["name"] == "Data Protection")
    admin = requests.post(f"{server.base}/api/v1/users", json={
        "email": "dpo-two@demo.test", "name": "Second DPO", "role": "dpo", "password": "Second-DPO-password-123",
        "profileId": protection}, headers=bearer(admin_token), timeout=30)
    assert admin.status_code == 201, admin.text
    second = new_page()
    console_login(second, "dpo-two@demo.test", password="Second-DPO-password-123")
    second.goto(f"/requests/{request}")
    submit(second, "form#fulfil-request")
    assert "Completed" in second.locator("#request-state").inner_text()

    card = requests.get(f"{server.base}/api/v1/contacts/{contact}", headers=bearer(token), timeout=30)
    assert card.status_code == 200
    assert card.json()["fields"] == {"name": fields["name"]}


def test_admin_states_recipients_and_transfers(new_page, server):
    page = new_page()
    console_login(page, "admin@demo.test")
    page.goto("/admin/notices")
    page.fill("form#privacy-facts textarea[name=recipients]", "Our telephony provider (processor)\nOur payment processor")
    page.fill("form#privacy-facts textarea[name=transfers]", "")
    page.fill("form#privacy-facts input[name=authority]", "CNPD, www.cnpd.pt")
    submit(page, "form#privacy-facts")
    facts = requests.get(f"{server.base}/api/v1/privacy-facts", headers=bearer(api_login(server.base, "dpo@demo.test")), timeout=30).json()
    assert facts["recipients"] == ["Our telephony provider (processor)", "Our payment processor"]
    assert facts["authority"] == "CNPD, www.cnpd.pt"
