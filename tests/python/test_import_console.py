"""Browser test: the DPO imports contacts from a CSV file in the console. A file
with a bad row stores nothing and lists the row by its line (never its values);
asked for the valid rows, the others are imported with the file's hash as
evidence, and the report of the rest downloads from the page."""

import base64
import hashlib
import re
import time

import requests

from conftest import answered_call, api_login, api_lookup, bearer, console_login


def test_dpo_imports_a_csv_file_in_the_console(new_page, server, tmp_path):
    digits = str(int(time.time() * 1000))[-6:]
    ana = f"+3519630{digits}"
    people = tmp_path / "people.csv"
    people.write_bytes(
        b"name,phone,stage,consent:outbound_marketing:phone\n"
        + f"Ana Consola,{ana},customer,granted\n".encode()
        + b"Bad Row,777 000,customer,granted\n")
    file_hash = "sha256:" + hashlib.sha256(people.read_bytes()).hexdigest()

    page = new_page()
    console_login(page, "dpo@demo.test")
    with page.expect_navigation():
        page.locator("nav a", has_text="Import contacts").click()

    def upload(valid_only):
        page.set_input_files("#csv-file", str(people))
        page.wait_for_function("document.getElementById('csv-bytes').value.length > 0")
        if valid_only:
            page.locator("input[name=validOnly]").check()
        with page.expect_navigation():
            page.locator("form#import button").click()
        return page.locator("section.import-result")

    refused = upload(valid_only=False)
    assert refused.get_attribute("data-imported") == "0"
    assert "Nothing was stored" in refused.inner_text()
    assert refused.locator("tr[data-line='3']").count() == 1
    assert "777" not in refused.inner_text(), "problems name lines, not values"
    assert file_hash in refused.inner_text(), "the hash is of the file's own bytes"

    imported = upload(valid_only=True)
    assert imported.get_attribute("data-imported") == "1"
    report = base64.b64decode(imported.locator("a#report").get_attribute("href").split(",", 1)[1]).decode()
    assert report.splitlines()[0] == "line,reason" and report.splitlines()[1].startswith("3,"), report
    assert "777" not in report

    token = api_login(server.base, "inbound@demo.test")
    found = api_lookup(server.base, token, ana, answered_call(server.base, ana, "inbound@demo.test")).json()["items"]
    assert len(found) == 1
    consents = requests.get(f"{server.base}/api/v1/contacts/{found[0]['id']}/consents", headers=bearer(token), timeout=30).json()
    assert consents["history"][0]["evidence"] == f"import {file_hash} line 2", consents["history"][0]

    # An inbound agent has no import page.
    agent = new_page()
    console_login(agent, "inbound@demo.test")
    assert agent.locator("nav a", has_text="Import contacts").count() == 0
    response = agent.goto("/contacts/import")
    assert response.status == 403
    assert re.search(r"import contacts in bulk", agent.content())
