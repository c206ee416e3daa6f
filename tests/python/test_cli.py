"""The command line an operator relies on: restart keeps data without
duplicating the demo, data and keys sit in separately named files, and
`guardline audit verify` names the first altered, missing or reordered entry."""

import os
import re
import sqlite3
import subprocess
import time

from conftest import answered_call, api_login, api_lookup, bearer, start_server, stop_server, totp

import requests


def guardline(*args, data_dir):
    env = dict(os.environ)
    env.pop("GUARDLINE_DATABASE_URL", None)
    env.pop("GUARDLINE_MASTER_KEY_FILE", None)
    return subprocess.run([os.environ["GUARDLINE_BIN"], *args, "--data-dir", str(data_dir)],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)


def subject_keys(data_dir):
    out = guardline("keys", "status", data_dir=data_dir)
    assert out.returncode == 0, out.stdout
    line = next(l for l in out.stdout.splitlines() if l.startswith("subject keys:"))
    return int(line.split(":")[1])


def test_restart_keeps_data_and_never_duplicates_the_demo(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    server = start_server(data)
    token = api_login(server.base, "dpo@demo.test")
    created = requests.post(server.base + "/api/v1/contacts", headers=bearer(token), timeout=10,
                            json={"fields": {"name": "Rita Restart", "phone": "+351 910 000 001"}})
    assert created.status_code == 201, created.text
    stop_server(server)
    keys_before = subject_keys(data)
    assert keys_before >= 1000

    server = start_server(data)  # --demo again
    try:
        token = api_login(server.base, "dpo@demo.test")
        found = api_lookup(server.base, token, "+351910000001").json()["items"]
        assert [c["fields"].get("name") for c in found] == ["Rita Restart"]
    finally:
        stop_server(server)
    assert subject_keys(data) == keys_before

    # Data and keys can be backed up apart: only key material has "key" in its name.
    names = sorted(p.name for p in data.iterdir())
    assert "master.key" in names and "keys.sqlite" in names
    for name in names:
        is_key = name in ("master.key", "audit-signing.key") or name.startswith("keys.sqlite")
        assert ("key" in name) == is_key, names
    for key_file in ("master.key", "audit-signing.key"):
        assert (data / key_file).stat().st_mode & 0o077 == 0, f"{key_file} readable by others"


def test_audit_verify_names_the_first_bad_entry(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    server = start_server(data)
    token = api_login(server.base, "inbound@demo.test")
    api_lookup(server.base, token, "+351910000002")
    stop_server(server)

    ok = guardline("audit", "verify", data_dir=data)
    assert ok.returncode == 0, ok.stdout
    assert "intact" in ok.stdout

    # The audit trail lives in a file of its own beside the data.
    db = sqlite3.connect(data / "guardline-audit.sqlite")
    try:
        original = db.execute("SELECT context FROM audit_event WHERE seq = 3").fetchone()[0]
        db.execute("UPDATE audit_event SET context = 'edited' WHERE seq = 3")
        db.commit()
        altered = guardline("audit", "verify", data_dir=data)
        assert altered.returncode != 0
        assert "#3" in altered.stdout, altered.stdout

        db.execute("UPDATE audit_event SET context = ? WHERE seq = 3", (original,))
        db.commit()
        assert guardline("audit", "verify", data_dir=data).returncode == 0

        db.execute("DELETE FROM audit_event WHERE seq = 5")
        db.commit()
        removed = guardline("audit", "verify", data_dir=data)
        assert removed.returncode != 0
        assert "#5" in removed.stdout, removed.stdout
    finally:
        db.close()


def test_user_create_from_the_command_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    created = subprocess.run(
        [os.environ["GUARDLINE_BIN"], "user", "create", "--email", "Ops.Admin@Example.com", "--name", "Ops Admin",
         "--role", "admin", "--data-dir", str(data)],
        input="a-long-enough-passphrase\n", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k not in ("GUARDLINE_DATABASE_URL", "GUARDLINE_MASTER_KEY_FILE")})
    assert created.returncode == 0, created.stdout
    short = subprocess.run(
        [os.environ["GUARDLINE_BIN"], "user", "create", "--email", "x@example.com", "--name", "X", "--data-dir", str(data)],
        input="short\n", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert short.returncode != 0 and "12 to 256" in short.stdout

    server = start_server(data)
    try:
        # A new organization requires two-step sign-in for its admins: the API says so until
        # the console has set it up, which the first console sign-in goes straight to.
        login = {"email": "ops.admin@example.com", "password": "a-long-enough-passphrase"}
        refused = requests.post(server.base + "/api/v1/auth/login", json=login, timeout=30)
        assert refused.status_code == 403 and "two-step" in refused.json()["detail"], refused.text
        browser = requests.Session()
        form = browser.get(server.base + "/login", timeout=30).text
        csrf = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
        signed_in = browser.post(server.base + "/login", data={"_csrf": csrf, **login}, timeout=30)
        assert signed_in.url.endswith("/account/mfa"), signed_in.url
        secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', signed_in.text).group(1).replace(" ", "")
        page_csrf = re.search(r'name="_csrf" value="([^"]+)"', signed_in.text).group(1)
        confirmed = browser.post(server.base + "/account/mfa", data={"_csrf": page_csrf, "code": totp(secret), "password": login["password"]}, timeout=30)
        assert "recovery-codes" in confirmed.text, confirmed.text[:2000]
        answer = requests.post(server.base + "/api/v1/auth/login", timeout=30,
                               json={**login, "code": totp(secret, at=time.time() + 30)})
        assert answer.status_code == 200, answer.text
        token = answer.json()["token"]
        me = requests.get(server.base + "/api/v1/auth/me", headers=bearer(token), timeout=10).json()
        assert me["user"]["role"] == "admin"
        assert "manageUsers" in me["capabilities"]
        # An administrator configures Guardline but sees no customer field.
        assert all(rule["access"] == "hidden" for rule in me["fields"].values())
    finally:
        stop_server(server)


def test_import_contacts_with_consent_from_csv(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    stop_server(start_server(data))  # seeds the demo organization, then frees the database
    keys_before = subject_keys(data)
    digits = "".join(str(int(time.time() * 1000))[-6:])
    ana, bruno = f"+3519620{digits}", f"+3519621{digits}"
    people = tmp_path / "people.csv"
    people.write_text(
        "name,phone,stage,consent:outbound_marketing:phone\n"
        f"Ana Import,{ana},customer,granted\n"
        f"\"Silva, Bruno\",{bruno},prospect,refused\n"
        "Carla Import,12345,customer,granted\n")

    refused = guardline("import", "contacts", str(people), "--as", "dpo@demo.test", data_dir=data)
    assert refused.returncode == 1, refused.stdout
    assert "line 4:" in refused.stdout and "Nothing was stored" in refused.stdout, refused.stdout
    report = (tmp_path / "people.csv.problems.csv").read_text()
    assert report.splitlines()[0] == "line,reason" and report.splitlines()[1].startswith("4,"), report
    assert "12345" not in report and "12345" not in refused.stdout, "problems name lines, not values"
    assert subject_keys(data) == keys_before

    imported = guardline("import", "contacts", str(people), "--as", "dpo@demo.test", "--valid-only", data_dir=data)
    assert imported.returncode == 0, imported.stdout
    assert "2 imported" in imported.stdout, imported.stdout
    file_hash = re.search(r"\((sha256:[0-9a-f]{64})\)", imported.stdout).group(1)
    assert subject_keys(data) == keys_before + 2

    # An outbound agent cannot import (no contact creation).
    denied = guardline("import", "contacts", str(people), "--as", "outbound@demo.test", "--valid-only", data_dir=data)
    assert denied.returncode != 0 and "create contacts" in denied.stdout, denied.stdout

    server = start_server(data)
    try:
        token = api_login(server.base, "inbound@demo.test")
        call = answered_call(server.base, ana, "inbound@demo.test")
        found = api_lookup(server.base, token, ana, call).json()["items"]
        assert len(found) == 1 and found[0]["fields"]["name"] == "Ana Import"
        history = requests.get(f"{server.base}/api/v1/contacts/{found[0]['id']}/consents", headers=bearer(token), timeout=30).json()["history"]
        assert [(e["decision"], e["source"], e["evidence"]) for e in history] == [("granted", "import", f"import {file_hash} line 2")]
    finally:
        stop_server(server)


def test_redact_reads_standard_input_and_writes_it_redacted():
    """`guardline redact`: the server's redactor on a pipe, needing no database."""
    def redact(text, *flags):
        out = subprocess.run([os.environ["GUARDLINE_BIN"], "redact", *flags], input=text,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert redact("Card 4532 0151 1283 0366, CVV 123. Call +351 912 345 678 or mail ana@example.pt\n") == \
        "Card [CARD], CVV [SECURITY CODE]. Call [PHONE] or mail [EMAIL]\n"
    # One turn per line: a card read across two turns, and the code given after the question.
    call = ("Customer: four five three two zero one five one\n"
            "one two eight three zero three six six\n"
            "Agent: and the three digits on the back?\n"
            "Customer: seven one nine\n")
    assert redact(call, "--transcript") == ("Customer: [CARD]\n[CARD]\n"
                                            "Agent: and the three digits on the back?\nCustomer: [SECURITY CODE]\n")
    untouched = "Order 48213 shipped on 12/05/2024, total 129.90 EUR.\n"
    assert redact(untouched) == untouched
