"""Browser tests: headless Chromium through the server-rendered console,
plus the API side of the same access rules."""

import re
import secrets

import requests

from conftest import (ADDRESS, DEMO_PASSWORD, answered_call, api_login, api_lookup, bearer,
                      console_login, console_lookup, digits, submit)


def card_of(page, contact):
    card = page.locator(f'article.contact-card[data-contact-id="{contact.id}"]')
    assert card.count() == 1, f"no card for {contact.id} in:\n{page.content()[:3000]}"
    return card


def field(card, key):
    return card.locator(f'[data-field="{key}"]')


def test_login_page_headers_and_bad_password(new_page):
    page = new_page()
    resp = page.goto("/login")
    assert resp.status == 200
    headers = resp.headers  # Playwright lower-cases header names
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None and "'unsafe-inline'" not in script_src, csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert page.locator("form#login input[name=_csrf]").count() == 1

    # supervisor, so login throttling cannot touch the accounts other tests use
    page.fill("form#login input[name=email]", "supervisor@demo.test")
    page.fill("form#login input[name=password]", "wrong-" + DEMO_PASSWORD)
    submit(page, "form#login")
    page.locator(".error").first.wait_for()
    assert re.search(r"/login(\?|$)", page.url), page.url
    assert page.locator("form#login").count() == 1


def test_inbound_sees_address_outbound_does_not(new_page, server, contact):
    raw = contact.fields

    inbound = new_page()
    console_login(inbound, "inbound@demo.test")
    console_lookup(inbound, raw["phone"], answered_call(server.base, raw["phone"], "inbound@demo.test"))
    card = card_of(inbound, contact)
    for key in ("name", "phone", "address"):
        assert field(card, key).get_attribute("data-access") in ("visible", "editable"), key
    assert field(card, "name").locator(".value").inner_text().strip() == raw["name"]
    assert digits(field(card, "phone").locator(".value").inner_text()) == digits(raw["phone"])
    assert "Rua Augusta" in field(card, "address").locator(".value").inner_text()

    outbound = new_page()
    console_login(outbound, "outbound@demo.test")
    console_lookup(outbound, raw["phone"], answered_call(server.base, raw["phone"], "outbound@demo.test"))
    card = card_of(outbound, contact)
    assert field(card, "phone").count() == 1
    assert field(card, "address").count() == 0
    html = outbound.content()
    # Not on screen is not enough: hidden data must never reach the browser.
    assert "Rua Augusta" not in html
    assert contact.surname not in html, "name shown in clear to outbound sales"
    assert raw["email"] not in html
    name = field(card, "name")
    if name.count():
        assert name.get_attribute("data-access") == "masked"


def test_console_logout_ends_session(new_page):
    page = new_page()
    console_login(page, "inbound@demo.test")
    submit(page, "form#logout")
    page.wait_for_url(re.compile(r"/login(\?|$)"))
    page.goto("/lookup")
    assert page.locator("form#lookup").count() == 0, "lookup still reachable after logout"


def test_dpo_audit_log_records_fields_not_values(new_page, server, contact):
    raw = contact.fields
    # An inbound lookup of our contact, so the log has a reveal to show.
    api_lookup(server.base, api_login(server.base, "inbound@demo.test"), raw["phone"],
               answered_call(server.base, raw["phone"], "inbound@demo.test"))

    page = new_page()
    console_login(page, "dpo@demo.test")
    link = page.locator('nav a[href="/audit"]')
    assert "Audit log" in link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/audit(\?|$)"))
    assert "intact" in page.locator("#chain-status").inner_text().lower()

    rows = page.locator(f'table#audit-log tr[data-contact-id="{contact.id}"]')
    reveals = [
        r for r in rows.all()
        if r.get_attribute("data-action") in ("contact.read", "contact.lookup")
        and "inbound" in r.locator(".actor").inner_text().lower()
    ]
    assert reveals, f"no inbound reveal row for {contact.id}"
    assert any("address" in r.locator(".fields").inner_text() for r in reveals)

    # Field names only, never values: check every cell and the whole page.
    national = digits(raw["phone"])[3:]
    for cell in page.locator("table#audit-log td").all_inner_texts():
        assert national not in digits(cell), f"phone digits in audit cell: {cell!r}"
    html = page.content()
    for secret in ("Rua Augusta", contact.surname, raw["email"], raw["phone"]):
        assert secret not in html, f"{secret!r} on the audit page"


def test_admin_creates_profile_team_and_user(new_page, server, contact):
    tag = secrets.token_hex(4)
    profile, team = f"QA profile {tag}", f"QA team {tag}"
    email, password = f"qa.{tag}@demo.test", f"Qa-{secrets.token_urlsafe(12)}-9x"

    page = new_page()
    console_login(page, "admin@demo.test")
    for href in ("/admin/users", "/admin/teams", "/admin/profiles"):
        assert page.locator(f'nav a[href="{href}"]').count() >= 1, href

    # Profile: name in clear, phone masked to its last digits, the rest hidden.
    page.goto("/admin/profiles")
    page.locator('a[href="/admin/profiles/new"]').first.click()
    page.fill("form#profile input[name=name]", profile)
    access = {"name": "visible", "phone": "masked", "email": "hidden",
              "address": "hidden", "birthDate": "hidden"}
    for key, level in access.items():
        page.select_option(f'form#profile select[name="access.{key}"]', level)
    page.select_option('form#profile select[name="mask.phone"]', "lastDigits")
    submit(page, "form#profile")
    page.goto("/admin/profiles")
    assert profile in page.content()

    page.goto("/admin/teams")
    page.fill("form#create-team input[name=name]", team)
    select_by_text(page, "form#create-team select[name=profileId]", profile)
    submit(page, "form#create-team")
    page.goto("/admin/teams")
    assert team in page.content()

    page.goto("/admin/users")
    form = "form#create-user"
    page.fill(f"{form} input[name=email]", email)
    page.fill(f"{form} input[name=name]", f"QA Agent {tag}")
    page.fill(f"{form} input[name=password]", password)
    page.select_option(f"{form} select[name=role]", "agent")
    select_by_text(page, f"{form} select[name=teamId]", team)
    submit(page, form)
    page.wait_for_url(re.compile(r"/admin/users(\?|$)"))
    assert email in page.locator("table").first.inner_text()

    # The new user works through the API, and sees what the new profile allows.
    token = api_login(server.base, email, password)
    call = answered_call(server.base, contact.fields["phone"], email)
    item = find_item(api_lookup(server.base, token, contact.fields["phone"], call), contact)
    assert item["fields"].get("name") == contact.fields["name"]
    assert set(item["fields"]) == {"name", "phone"}, item["fields"]
    assert "phone" in item["masked"]
    assert digits(contact.fields["phone"])[3:] not in digits(item["fields"]["phone"])


def select_by_text(page, select, text):
    """Pick the option whose label contains text (labels may add details)."""
    options = page.locator(f"{select} option")
    for i in range(options.count()):
        if text in options.nth(i).inner_text():
            page.select_option(select, options.nth(i).get_attribute("value"))
            return
    raise AssertionError(f"no option {text!r} in {select}: {options.all_inner_texts()}")


def find_item(response, contact):
    items = [i for i in response.json()["items"] if i["id"] == contact.id]
    assert len(items) == 1, response.text
    return items[0]


def test_api_lookup_follows_profiles(server, contact):
    raw = contact.fields

    r = api_lookup(server.base, api_login(server.base, "inbound@demo.test"), raw["phone"],
                   answered_call(server.base, raw["phone"], "inbound@demo.test"))
    item = find_item(r, contact)
    assert item["fields"]["address"] == ADDRESS
    assert item["fields"]["name"] == raw["name"]

    r = api_lookup(server.base, api_login(server.base, "outbound@demo.test"), raw["phone"],
                   answered_call(server.base, raw["phone"], "outbound@demo.test"))
    item = find_item(r, contact)
    assert "address" not in item["fields"]
    assert "Rua Augusta" not in r.text and contact.surname not in r.text
    assert "phone" in item["fields"]
    for key in item["masked"]:
        assert item["fields"][key] != raw[key], f"{key} 'masked' but equal to the raw value"
    assert item["fields"].get("name") != raw["name"]


def test_api_logout_revokes_token(server, contact):
    token = api_login(server.base, "outbound@demo.test")
    r = requests.post(f"{server.base}/api/v1/auth/logout", headers=bearer(token), timeout=30)
    assert r.status_code in (200, 204), r.text
    r = requests.get(f"{server.base}/api/v1/contacts/lookup",
                     params={"phone": contact.fields["phone"]}, headers=bearer(token), timeout=30)
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
