"""Two-step sign-in in a real browser: set it up from the QR page's key, then
sign in with password and code; the API asks for the code too."""

import re
import time

import requests

from conftest import DEMO_PASSWORD, api_login, bearer, console_login, submit, totp


def test_enrol_then_sign_in_with_a_code(new_page, server):
    # An account of its own, so no other test's logins meet a code prompt.
    admin = api_login(server.base, "admin@demo.test")
    email = "mfa-browser@demo.test"
    created = requests.post(f"{server.base}/api/v1/users", headers=bearer(admin), timeout=30, json={
        "email": email, "name": "Mia Factor", "password": DEMO_PASSWORD, "role": "agent"})
    assert created.status_code == 201, created.text

    page = new_page()
    console_login(page, email)
    page.locator('nav a[href="/account/mfa"]').click()
    page.wait_for_url(re.compile(r"/account/mfa$"))
    qr = page.locator("#mfa-enrolment svg[role=img]")
    assert qr.count() == 1 and qr.locator("path").count() == 1, "no QR code drawn"
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    uri = page.locator("#mfa-uri").text_content()
    assert uri.startswith("otpauth://totp/Guardline:") and f"secret={secret}" in uri

    page.fill("form#mfa-confirm input[name=code]", totp(secret))
    page.fill("form#mfa-confirm input[name=password]", DEMO_PASSWORD)
    submit(page, "form#mfa-confirm")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", c) for c in codes), codes
    assert secret not in page.content(), "the key must not be shown again"

    page.locator("form#logout button").click()
    page.wait_for_url(re.compile(r"/login$"))
    page.fill("form#login input[name=email]", email)
    page.fill("form#login input[name=password]", DEMO_PASSWORD)
    submit(page, "form#login")
    page.wait_for_url(re.compile(r"/login/code$"))
    page.fill("form#login-code input[name=code]", "000000")
    submit(page, "form#login-code")
    page.locator(".error").first.wait_for()
    # The next step's code: the one used to enrol may not be used again.
    page.fill("form#login-code input[name=code]", totp(secret, at=time.time() + 30))
    submit(page, "form#login-code")
    page.wait_for_url(re.compile(r"/lookup$"))
    assert page.locator("form#lookup").count() == 1

    # The API answers that a code is needed, and takes a recovery code once.
    asked = requests.post(f"{server.base}/api/v1/auth/login", timeout=30,
                          json={"email": email, "password": DEMO_PASSWORD})
    assert asked.status_code == 401 and "one-time code" in asked.json()["detail"], asked.text
    ok = requests.post(f"{server.base}/api/v1/auth/login", timeout=30,
                       json={"email": email, "password": DEMO_PASSWORD, "code": codes[0]})
    assert ok.status_code == 200, ok.text
