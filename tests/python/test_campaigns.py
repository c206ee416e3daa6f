"""Browser test: a supervisor creates a consent-aware campaign and builds its list,
seeing how many were left off and why; an outbound agent takes the next contact,
sees only the phone, and a "do not call me" outcome suppresses the number."""

import re
import secrets
import string

import requests

from conftest import api_login, bearer, console_login


def _prospect(base, token, granted):
    surname = "".join(secrets.choice(string.ascii_lowercase) for _ in range(9)).capitalize()
    phone = "+35193" + "".join(secrets.choice(string.digits) for _ in range(7))
    r = requests.post(f"{base}/api/v1/contacts", headers=bearer(token), timeout=30,
                      json={"fields": {"name": f"Rui {surname}", "phone": phone}, "stage": "prospect"})
    assert r.status_code == 201, r.text
    contact_id = r.json()["id"]
    if granted:
        r = requests.post(f"{base}/api/v1/contacts/{contact_id}/consents", headers=bearer(token), timeout=30,
                          json={"purpose": "outbound_marketing", "channel": "phone", "decision": "granted"})
        assert r.status_code == 201, r.text
    return contact_id, phone


def test_supervisor_builds_a_list_and_an_agent_dials_it(new_page, server):
    inbound = api_login(server.base, "inbound@demo.test")
    lawful, phone = _prospect(server.base, inbound, granted=True)
    _prospect(server.base, inbound, granted=False)

    supervisor = new_page()
    console_login(supervisor, "supervisor@demo.test")
    supervisor.goto("/campaigns")
    suppressed_before = int(supervisor.locator('[data-suppressed="phone"]').inner_text())
    form = supervisor.locator("form#new-campaign")
    name = "Prospects " + secrets.token_hex(3)
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=purpose]").select_option("outbound_marketing")
    form.locator("select[name=channel]").select_option("phone")
    form.locator("input[name='stage.prospect']").check()
    for day in range(1, 8):
        form.locator(f"input[name='day.{day}']").check()
    form.locator("input[name=start]").fill("00:00")
    form.locator("input[name=end]").fill("24:00")
    with supervisor.expect_navigation():
        form.locator("button").click()
    supervisor.wait_for_url(re.compile(r"/campaigns/[0-9a-f-]{36}$"))
    campaign_url = supervisor.url
    assert supervisor.locator("h1").inner_text() == name

    with supervisor.expect_navigation():
        supervisor.locator("form#build-list button").click()
    assert supervisor.locator("[data-included]").inner_text() == "1"
    reasons = {row.get_attribute("data-reason"): int(row.locator("td").nth(1).inner_text())
               for row in supervisor.locator("table.exclusions tbody tr").all()}
    assert set(reasons) == {"erased", "restricted", "objection", "noLawfulBasis", "suppressed", "unreachable"}, reasons
    assert reasons["noLawfulBasis"] >= 1, reasons
    assert "Next contact" not in supervisor.content(), "supervisors build lists; they do not dial"

    agent = new_page()
    console_login(agent, "outbound@demo.test")
    agent.goto(campaign_url)
    with agent.expect_navigation():
        agent.locator("form#next-contact button").click()
    card = agent.locator("section.dialer article.contact-card")
    assert card.get_attribute("data-contact-id") == lawful
    assert [f.get_attribute("data-field") for f in card.locator(".field").all()] == ["phone"]
    assert card.locator('.field[data-field="phone"] .value').inner_text() == phone
    with agent.expect_navigation():
        agent.locator('form#outcome button[value="doNotCall"]').click()
    assert "suppression list" in agent.locator(".flash").inner_text()

    # Rebuilt, the list has nobody left to call, and the number is suppressed by its hash.
    with supervisor.expect_navigation():
        supervisor.locator("form#build-list button").click()
    assert supervisor.locator("[data-included]").inner_text() == "0"
    supervisor.goto("/campaigns")
    assert int(supervisor.locator('[data-suppressed="phone"]').inner_text()) == suppressed_before + 1
    assert phone not in supervisor.content()

    # The audit log records the build with its counts, and no number.
    dpo = api_login(server.base, "dpo@demo.test")
    entries = requests.get(f"{server.base}/api/v1/audit?limit=100", headers=bearer(dpo), timeout=30).json()["items"]
    built = [e for e in entries if e["action"] == "campaign.built"]
    assert built and "included 0" in built[0]["context"], built[:1]
    assert not any(phone[1:] in (e.get("context") or "") for e in entries)

    # The person takes their "do not call me" back: only the DPO lifts it, from the console's suppression page.
    with supervisor.expect_navigation():
        supervisor.locator("form#suppress input[name=value]").fill(phone)
        supervisor.locator('form#suppress button[formaction="/campaigns/suppressions/remove"]').click()
    assert "ask the DPO" in supervisor.content()
    officer = new_page()
    console_login(officer, "dpo@demo.test")
    with officer.expect_navigation():
        officer.locator("nav a", has_text="Suppression list").click()
    assert officer.locator("table.campaigns").count() == 0, "the DPO sees the suppression form, not the campaigns"
    form = officer.locator("form#unsuppress")
    form.locator("input[name=value]").fill(phone)
    with officer.expect_navigation():
        form.locator("button").click()
    assert "Taken off the suppression list" in officer.locator(".flash").inner_text()
    supervisor.goto("/campaigns")
    assert int(supervisor.locator('[data-suppressed="phone"]').inner_text()) == suppressed_before


def test_dpo_restricts_processing_and_records_an_objection(new_page, server):
    inbound = api_login(server.base, "inbound@demo.test")
    contact_id, _ = _prospect(server.base, inbound, granted=True)
    page = new_page()
    console_login(page, "dpo@demo.test")
    page.goto(f"/contacts/{contact_id}")
    limits = page.locator("section#limits")
    assert limits.locator(".restricted").count() == 0
    form = limits.locator("form.restriction")
    form.locator("select[name=ground]").select_option("accuracyContested")
    with page.expect_navigation():
        form.locator("button").click()
    restricted = page.locator("section#limits .restricted").inner_text()
    assert "Processing restricted" in restricted and "Art. 18(1)(a)" in restricted
    # Every viewer of the contact sees the banner; the agent sees no controls.
    banner_viewer = new_page()
    console_login(banner_viewer, "inbound@demo.test")
    banner_viewer.goto(f"/contacts/{contact_id}")
    assert "Processing restricted" in banner_viewer.locator(".banner.restricted").inner_text()
    assert banner_viewer.locator("section#limits").count() == 0
    form = page.locator("section#limits form.objection")
    form.locator("select[name=purpose]").select_option("outbound_marketing")
    with page.expect_navigation():
        form.locator("button").click()
    assert page.locator('section#limits ul.objections li[data-purpose="outbound_marketing"]').count() == 1

    # Lifting needs a reason and the person told first (Art. 18(3)): the box must be ticked.
    lift = page.locator("section#limits form.lift")
    csrf = lift.locator("input[name=_csrf]").get_attribute("value")
    # Posted without the box (the browser's own check bypassed): the server refuses and keeps the restriction.
    untold = page.request.post(f"/contacts/{contact_id}/restriction", form={
        "_csrf": csrf, "restricted": "false", "liftReason": "accuracyVerified"}, max_redirects=0)
    assert untold.status == 400 and "18(3)" in untold.text()
    page.reload()
    assert page.locator("section#limits .restricted").count() == 1, "an unticked box does not lift"
    lift.locator("select[name=liftReason]").select_option("accuracyVerified")
    lift.locator("input[name=subjectInformed]").check()
    with page.expect_navigation():
        lift.locator("button").click()
    assert page.locator("section#limits .restricted").count() == 0
    assert page.locator(".banner.restricted").count() == 0

    # An agent sees no such controls.
    agent = new_page()
    console_login(agent, "inbound@demo.test")
    agent.goto(f"/contacts/{contact_id}")
    assert agent.locator("section#limits").count() == 0
