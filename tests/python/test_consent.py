"""Browser test: an agent on a call asks for consent with the script on screen,
records the answer, and withdraws it again in one click (Art. 7(1), 7(3))."""

import re

import requests

from conftest import api_login, bearer, console_login, console_lookup


def test_agent_records_and_withdraws_consent_during_a_call(new_page, server, contact):
    page = new_page()
    console_login(page, "inbound@demo.test")
    console_lookup(page, contact.fields["phone"])
    with page.expect_navigation():
        page.locator(f'article.contact-card[data-contact-id="{contact.id}"] a.reference').click()
    page.wait_for_url(re.compile(rf"/contacts/{contact.id}$"))

    panel = page.locator("section#consent")
    assert panel.locator(".stage").inner_text().strip() == "Customer"
    ask = panel.locator(".ask.next")
    purpose = ask.get_attribute("data-purpose")
    script = ask.locator("blockquote.script").inner_text()
    assert "Do you agree" in script and "change your mind at any time" in script, script
    assert panel.locator("table.current").count() == 0

    form = ask.locator("form.answer")
    form.locator("select[name=channel]").select_option("phone")
    form.locator("input[name=interactionId]").fill("pbx-call-4711")
    with page.expect_navigation():
        form.locator("button[value=granted]").click()

    row = page.locator(f'section#consent table.current tr[data-purpose="{purpose}"][data-channel="phone"]')
    assert row.get_attribute("data-decision") == "granted"
    assert "call pbx-call-4711" in page.locator("section#consent ol.history li").first.inner_text()

    # Withdrawing is one click, as granting was.
    with page.expect_navigation():
        row.locator("form.withdraw button").click()
    row = page.locator(f'section#consent table.current tr[data-purpose="{purpose}"][data-channel="phone"]')
    assert row.get_attribute("data-decision") == "withdrawn"
    decisions = [li.get_attribute("data-decision") for li in page.locator("section#consent ol.history li").all()]
    assert decisions == ["withdrawn", "granted"], decisions

    # The API tells the same story, with the evidence: who, the script's hash, the call.
    token = api_login(server.base, "dpo@demo.test")
    overview = requests.get(f"{server.base}/api/v1/contacts/{contact.id}/consents", headers=bearer(token), timeout=30).json()
    granted = overview["history"][1]
    assert granted["decision"] == "granted" and granted["interactionId"] == "pbx-call-4711"
    assert granted["source"] == "agent" and granted["noticeHash"].startswith("sha256:")


def test_supervisor_sees_consent_but_cannot_record_it(new_page, contact):
    page = new_page()
    console_login(page, "supervisor@demo.test")
    page.goto(f"/contacts/{contact.id}")
    assert page.locator("section#consent").count() == 1
    assert page.locator("section#consent form").count() == 0


def test_admin_edits_a_script_into_a_new_version_and_sees_minimization_warnings(new_page):
    page = new_page()
    console_login(page, "admin@demo.test")
    page.goto("/admin/notices?purpose=call_recording")
    text = page.locator("form#publish textarea[name=text]").input_value()
    assert "Call recording" in text
    before = page.locator("ol.versions li").count()
    page.fill("form#publish textarea[name=text]", "May we record this call to check our service? You can say no.")
    with page.expect_navigation():
        page.locator("form#publish button").click()
    assert page.locator("ol.versions li").count() == before + 1
    assert page.locator("form#publish textarea[name=text]").input_value().startswith("May we record this call")

    page.goto("/admin/purposes")
    assert page.locator("#warnings li.warning").count() == 0
    form = page.locator('form.purpose[data-purpose="identity_verification"]')
    form.locator("input[name=active]").uncheck()
    with page.expect_navigation():
        form.locator("button").click()
    assert page.locator('#warnings li.warning[data-field="birthDate"]').count() == 1
    # Put it back: other tests share the demo organization.
    form = page.locator('form.purpose[data-purpose="identity_verification"]')
    form.locator("input[name=active]").check()
    with page.expect_navigation():
        form.locator("button").click()
    assert page.locator("#warnings li.warning").count() == 0
