"""Browser test: a call the phone system announces pops the caller's card on the
answering agent's open console within a second, showing what their profile allows;
the agent opens the contact within the call, logs what was said (redacted before it
is stored) and wraps up. An unknown caller pops a "new caller" card."""

import re
import secrets
import time

from conftest import api_login, bearer, call_event, console_login


def open_desk(page):
    page.goto("/desk")
    page.wait_for_function("document.getElementById('pop-status').textContent.startsWith('Connected')", timeout=5_000)


def test_answered_call_pops_the_card_within_a_second(new_page, server, contact):
    inbound = new_page()
    console_login(inbound, "inbound@demo.test")
    open_desk(inbound)
    outbound = new_page()
    console_login(outbound, "outbound@demo.test")
    open_desk(outbound)

    call_id = "pop-" + secrets.token_hex(6)
    call_event(server.base, "ringing", call_id, phone=contact.fields["phone"])
    started = time.monotonic()
    call_event(server.base, "answered", call_id, agent="inbound@demo.test", phone=contact.fields["phone"])
    card = inbound.locator(f'#pops article[data-contact-id="{contact.id}"]')
    card.wait_for(timeout=1_000)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"the pop took {elapsed:.2f}s"
    text = card.inner_text()
    assert contact.fields["name"] in text and "Rua Augusta" in text, text
    # The pop went to the agent who answered, not to every console.
    time.sleep(0.3)
    assert outbound.locator("#pops article").count() == 0
    assert contact.surname not in outbound.content()

    # The card opens the contact within the call: in full, with its timeline.
    with inbound.expect_navigation():
        card.locator("a.reference").click()
    inbound.wait_for_url(re.compile(rf"/contacts/{contact.id}\?interaction="))
    assert "Rua Augusta" in inbound.locator("article.contact-card").inner_text()
    entry = inbound.locator('section.timeline li[data-kind="interaction"][data-state="active"]').first
    assert "voice" in entry.inner_text()

    # Logging an email: the card number in it is masked before anything is stored.
    form = "form#log-interaction"
    inbound.select_option(f"{form} select[name=channel]", "email")
    inbound.fill(f"{form} input[name=subject]", "Refund request")
    inbound.fill(f"{form} textarea[name=body]", "Please refund card 4539 1488 0343 6467, code 319.")
    inbound.fill(f"{form} input[name=disposition]", "refund_requested")
    with inbound.expect_navigation():
        inbound.locator(f"{form} button").click()
    timeline = inbound.locator("section.timeline").inner_text()
    assert "Refund request" in timeline and "[CARD]" in timeline, timeline
    assert "4539" not in inbound.content() and "319." not in inbound.content()

    # Wrap-up: notes (redacted too), a disposition, closed.
    wrap = inbound.locator('section.timeline li[data-state="active"] form').first
    wrap.locator("textarea[name=notes]").fill("Customer will call back from +351 912 000 111.")
    wrap.locator("input[name=disposition]").fill("resolved")
    wrap.locator("input[name=close]").check()
    with inbound.expect_navigation():
        wrap.locator("button").click()
    inbound.wait_for_url(re.compile(rf"/contacts/{contact.id}$"))
    # Closed, the call no longer opens the contact beyond the minimal view.
    assert "Rua Augusta" not in inbound.content()


def test_unknown_caller_pops_a_new_caller_card(new_page, server):
    page = new_page()
    console_login(page, "inbound@demo.test")
    open_desk(page)
    number = "+35193" + "".join(secrets.choice("0123456789") for _ in range(7))
    call_event(server.base, "answered", "new-" + secrets.token_hex(6), agent="inbound@demo.test", phone=number)
    card = page.locator("#pops article.pop").first
    card.wait_for(timeout=1_000)
    assert card.get_attribute("data-contact-id") is None
    assert "New caller" in card.inner_text()
    assert number in card.inner_text()
    assert "/lookup?interaction=" in card.locator("a.reference").get_attribute("href")
