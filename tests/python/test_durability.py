"""The audit trail vouches for every answered access even when the server dies
mid-flight: kill -9 under concurrent screen pops, then every pop that was
answered has its entry, and the chain verifies."""

import os
import signal
import sqlite3
import subprocess
import threading
import time

import requests

from conftest import api_login, bearer, start_server


def test_sigkill_under_screen_pops_loses_no_answered_entry(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    server = start_server(data)
    token = api_login(server.base, "inbound@demo.test")
    me = requests.get(f"{server.base}/api/v1/auth/me", headers=bearer(token), timeout=10).json()
    agent = me["user"]["id"]
    dpo = api_login(server.base, "dpo@demo.test")
    page = requests.get(f"{server.base}/api/v1/contacts?limit=50", headers=bearer(dpo), timeout=10).json()["items"]
    phones = [c["fields"]["phone"] for c in page if "phone" in c["fields"]]
    assert len(phones) >= 20

    answered = []  # contact ids of every pop that came back 200
    lock = threading.Lock()
    stop = threading.Event()

    def pop(worker):
        session = requests.Session()
        n = worker
        while not stop.is_set():
            try:
                r = session.post(f"{server.base}/api/v1/contacts/lookup", headers=bearer(token),
                                 json={"phone": phones[n % len(phones)]}, timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code == 200:
                ids = [c["id"] for c in r.json()["items"]]
                with lock:
                    answered.extend(ids)
            n += 7

    threads = [threading.Thread(target=pop, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(answered) > 50, f"only {len(answered)} pops answered before the kill"

    # Read the audit file as the next start would: SQLite replays its write-ahead log.
    db = sqlite3.connect(data / "guardline-audit.sqlite")
    try:
        rows = db.execute(
            "SELECT contact_id, count(*) FROM audit_event WHERE action = 'contact.lookup' AND actor_id = ? GROUP BY contact_id",
            (agent,)).fetchall()
    finally:
        db.close()
    recorded = dict(rows)
    seen = {}
    for contact_id in answered:
        seen[contact_id] = seen.get(contact_id, 0) + 1
    missing = {c: n - recorded.get(c, 0) for c, n in seen.items() if recorded.get(c, 0) < n}
    assert not missing, f"answered pops without an audit entry: {missing}"

    env = {k: v for k, v in os.environ.items() if k not in ("GUARDLINE_DATABASE_URL", "GUARDLINE_MASTER_KEY_FILE")}
    verify = subprocess.run([os.environ["GUARDLINE_BIN"], "audit", "verify", "--data-dir", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120, env=env)
    assert verify.returncode == 0, verify.stdout
    assert "intact" in verify.stdout
