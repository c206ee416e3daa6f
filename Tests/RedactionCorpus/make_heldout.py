#!/usr/bin/env python3
"""Generate the held-out PII redaction corpus (heldout.jsonl).

Written independently of the redactor implementation and of make_corpus.py.
Deterministic: all randomness comes from random.Random(SEED).

Each line: {"id", "lang", "turns", "entities": [{"kind", "text"}]}
Every entity "text" occurs verbatim in "\\n".join(turns); a value read across
two consecutive turns therefore contains "\\n".

Kinds: cardNumber, securityCode, iban, nationalID, email, phone.

Usage: python3 make_heldout.py [output_path]
"""
import json
import os
import random
import sys
import unicodedata

SEED = 7041993
rng = random.Random(SEED)

KINDS = {"cardNumber", "securityCode", "iban", "nationalID", "email", "phone"}

# ---------------------------------------------------------------------------
# Checksum helpers
# ---------------------------------------------------------------------------


def digits(n):
    return "".join(str(rng.randrange(10)) for _ in range(n))


def only_digits(s):
    return "".join(c for c in s if c.isdigit())


# --- Luhn (payment cards) ---------------------------------------------------

def luhn_sum(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_valid(num):
    return luhn_sum(num) % 10 == 0


def luhn_complete(partial):
    for c in "0123456789":
        if luhn_valid(partial + c):
            return partial + c
    raise AssertionError


def make_card(brand):
    if brand == "visa":
        body = "4" + digits(14)
    elif brand == "mc":
        body = "5" + rng.choice("12345") + digits(13)
    elif brand == "mc2":  # Mastercard 2-series, 2221-2720
        body = str(rng.randint(2221, 2720)) + digits(11)
    elif brand == "amex":
        body = rng.choice(["34", "37"]) + digits(12)
    else:
        raise ValueError(brand)
    n = luhn_complete(body)
    assert luhn_valid(n)
    return n


def bad_luhn_16(first=None):
    while True:
        n = (first or str(rng.randint(1, 9))) + digits(15)
        if not luhn_valid(n):
            return n


def card_groups(num):
    return [4, 6, 5] if len(num) == 15 else [4, 4, 4, 4]


def split_groups(s, sizes):
    out, i = [], 0
    for k in sizes:
        out.append(s[i:i + k])
        i += k
    return out


def fmt_card(num, style="space"):
    g = split_groups(num, card_groups(num))
    return {"space": " ".join(g), "hyphen": "-".join(g), "run": num,
            "dot": ".".join(g)}[style]


# --- IBAN (ISO 13616, mod 97) -------------------------------------------------

def iban_numeric(s):
    return "".join(str(int(c, 36)) for c in s)


def iban_valid(iban):
    s = iban.replace(" ", "").upper()
    return int(iban_numeric(s[4:] + s[:4])) % 97 == 1


def iban_from_bban(cc, bban):
    check = 98 - int(iban_numeric(bban + cc + "00")) % 97
    iban = "%s%02d%s" % (cc, check, bban)
    assert iban_valid(iban)
    return iban


# Italian odd/even tables (shared by codice fiscale and the IBAN CIN letter)
CF_ODD = {
    "0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17,
    "8": 19, "9": 21, "A": 1, "B": 0, "C": 5, "D": 7, "E": 9, "F": 13,
    "G": 15, "H": 17, "I": 19, "J": 21, "K": 2, "L": 4, "M": 18, "N": 20,
    "O": 11, "P": 3, "Q": 6, "R": 8, "S": 12, "T": 14, "U": 16, "V": 10,
    "W": 22, "X": 25, "Y": 24, "Z": 23,
}


def cf_even(c):
    return int(c) if c.isdigit() else ord(c) - 65


def it_check_letter(s):
    total = 0
    for i, c in enumerate(s):
        total += CF_ODD[c] if i % 2 == 0 else cf_even(c)
    return chr(65 + total % 26)


ES_W = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]


def es_dc(ten):
    d = 11 - sum(int(c) * w for c, w in zip(ten, ES_W)) % 11
    return {11: 0, 10: 1}.get(d, d)


def make_bban(cc):
    if cc == "PT":  # bank4 branch4 account11 + NIB check 2
        nib19 = digits(4) + digits(4) + digits(11)
        chk = 98 - int(nib19 + "00") % 97
        return nib19 + "%02d" % chk
    if cc == "ES":  # bank4 branch4 dc2 account10
        bank, branch, acct = digits(4), digits(4), digits(10)
        dc = "%d%d" % (es_dc("00" + bank + branch), es_dc(acct))
        return bank + branch + dc + acct
    if cc == "FR":  # bank5 branch5 account11 rib-key2
        bank, branch, acct = digits(5), digits(5), digits(11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
        return bank + branch + acct + "%02d" % key
    if cc == "DE":  # BLZ8 account10
        return str(rng.randint(1, 8)) + digits(7) + digits(10)
    if cc == "IT":  # CIN1 ABI5 CAB5 account12
        rest = digits(5) + digits(5) + digits(12)
        return it_check_letter(rest) + rest
    if cc == "GB":  # bank4 sort6 account8
        return rng.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(6) + digits(8)
    if cc == "NL":  # bank4 account10 (elfproef)
        while True:
            acct = digits(10)
            if sum(int(c) * (10 - i) for i, c in enumerate(acct)) % 11 == 0:
                break
        return rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + acct
    if cc == "BE":  # bank3 account7 check2
        ten = digits(10)
        chk = int(ten) % 97 or 97
        return ten + "%02d" % chk
    raise ValueError(cc)


def make_iban(cc):
    return iban_from_bban(cc, make_bban(cc))


def bad_iban(cc):
    """IBAN-shaped string whose check digits are wrong."""
    good = make_iban(cc)
    chk = int(good[2:4])
    wrong = (chk + rng.randint(1, 40)) % 97
    if wrong < 2:
        wrong += 7
    s = good[:2] + "%02d" % wrong + good[4:]
    assert not iban_valid(s)
    return s


def fmt_iban(iban, grouped=True):
    if not grouped:
        return iban
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


# --- Portuguese NIF (mod 11) --------------------------------------------------

def nif_check(d8):
    s = sum(int(c) * (9 - i) for i, c in enumerate(d8))
    r = 11 - s % 11
    return 0 if r >= 10 else r


def nif_valid(n):
    return len(n) == 9 and n.isdigit() and int(n[8]) == nif_check(n[:8])


def make_nif():
    d8 = rng.choice("123") + digits(7)
    n = d8 + str(nif_check(d8))
    assert nif_valid(n)
    return n


# --- Spanish DNI / NIE (mod 23) -------------------------------------------------

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def make_dni():
    n = digits(8)
    return n, DNI_LETTERS[int(n) % 23]


def make_nie():
    p = rng.choice("XYZ")
    n = digits(7)
    return p, n, DNI_LETTERS[int(str("XYZ".index(p)) + n) % 23]


# --- French NIR (key = 97 - n mod 97) -------------------------------------------

def make_nir():
    dept = rng.choice(["75", "69", "13", "33", "59", "92", "93", "31", "44", "67", "06", "78"])
    parts = [rng.choice("12"), "%02d" % rng.randint(50, 99), "%02d" % rng.randint(1, 12),
             dept, "%03d" % rng.randint(1, 990), "%03d" % rng.randint(1, 999)]
    thirteen = "".join(parts)
    key = 97 - int(thirteen) % 97
    parts.append("%02d" % key)
    return parts


def nir_valid(s):
    d = only_digits(s)
    return len(d) == 15 and 97 - int(d[:13]) % 97 == int(d[13:])


# --- German Steuer-ID (ISO 7064 MOD 11,10) ---------------------------------------

def steuer_check(d10):
    product = 10
    for ch in d10:
        s = (int(ch) + product) % 10
        if s == 0:
            s = 10
        product = (s * 2) % 11
    c = 11 - product
    return 0 if c == 10 else c


def steuer_valid(s):
    d = only_digits(s)
    return len(d) == 11 and d[0] != "0" and steuer_check(d[:10]) == int(d[10])


def make_steuer_id():
    while True:
        pool = list("0123456789")
        rng.shuffle(pool)
        chosen = pool[:9]  # one digit missing
        chosen.append(chosen[0])  # one digit appears twice
        rng.shuffle(chosen)
        if chosen[0] != "0":
            break
    d10 = "".join(chosen)
    return d10 + str(steuer_check(d10))


# --- Italian codice fiscale ----------------------------------------------------

def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def cf_part(s, is_name):
    s = "".join(c for c in strip_accents(s).upper() if c.isalpha())
    cons = [c for c in s if c not in "AEIOU"]
    vows = [c for c in s if c in "AEIOU"]
    if is_name and len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return ("".join(cons) + "".join(vows) + "XXX")[:3]


def make_cf(surname, name, female):
    yy = "%02d" % rng.randint(55, 99)
    month = "ABCDEHLMPRST"[rng.randrange(12)]
    day = rng.randint(1, 28) + (40 if female else 0)
    town = rng.choice(["H501", "F205", "L219", "F839", "G273", "D612", "A944", "L736", "C351"])
    s = cf_part(surname, False) + cf_part(name, True) + yy + month + "%02d" % day + town
    return s + it_check_letter(s)


def cf_valid(s):
    return len(s) == 16 and it_check_letter(s[:15].upper()) == s[15].upper()


# --- UK National Insurance number --------------------------------------------

def make_nino():
    bad_pairs = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    while True:
        a = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
        b = rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if a + b not in bad_pairs:
            break
    return a + b, digits(6), rng.choice("ABCD")


# ---------------------------------------------------------------------------
# Self-test of helpers against published examples
# ---------------------------------------------------------------------------

def _self_test():
    assert luhn_valid("4111111111111111") and luhn_valid("378282246310005")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert iban_valid("PT50 0002 0123 1234 5678 9015 4")
    assert iban_valid("ES91 2100 0418 4502 0005 1332")
    assert iban_valid("FR76 3000 6000 0112 3456 7890 189")
    assert iban_valid("IT60 X054 2811 1010 0000 0123 456")
    assert iban_valid("BE68 5390 0754 7034")
    assert iban_valid("NL91 ABNA 0417 1643 00")
    assert it_check_letter("0542811101000000123456") == "X"
    assert es_dc("0021000418") == 4 and es_dc("0200051332") == 5
    assert (97 - (89 * 30006 + 15 * 1 + 3 * 12345678901) % 97) == 89
    assert 5390075470 % 97 == 34  # BE internal check
    assert nif_valid("123456789")
    assert DNI_LETTERS[12345678 % 23] == "Z"
    assert DNI_LETTERS[int("01234567") % 23] == "L"  # X1234567L
    assert steuer_valid("86095742719")
    assert cf_valid("RSSMRA80A01H501U")
    assert cf_part("Rossi", False) == "RSS" and cf_part("Mario", True) == "MRA"
    assert cf_part("Gianfranco", True) == "GFR"


_self_test()

# ---------------------------------------------------------------------------
# Language material
# ---------------------------------------------------------------------------

DIGIT_WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "pt": ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
    "it": ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"],
}


def speak(ds, lang, groups=None, gsep=", ", oh=False, double=False):
    """Digit-by-digit reading of ds. groups: list of group sizes."""
    words = list(DIGIT_WORDS[lang])
    if oh:
        words[0] = "oh"
    groups = groups or [len(ds)]
    out = []
    for g in split_groups(ds, groups):
        toks, i = [], 0
        while i < len(g):
            if double and i + 1 < len(g) and g[i] == g[i + 1]:
                toks.append("double " + words[int(g[i])])
                i += 2
            else:
                toks.append(words[int(g[i])])
                i += 1
        out.append(" ".join(toks))
    return gsep.join(out)


FIRST = {
    "pt": ["Ana", "Rui", "João", "Mariana", "Pedro", "Inês", "Tiago", "Sofia", "Miguel", "Beatriz", "Carla", "Nuno", "Joana"],
    "en": ["James", "Emily", "Oliver", "Sarah", "Daniel", "Chloe", "Thomas", "Hannah", "Priya", "Liam"],
    "es": ["Lucía", "Carlos", "María", "Javier", "Elena", "Pablo", "Marta"],
    "fr": ["Camille", "Julien", "Léa", "Nicolas", "Chloé", "Antoine", "Manon"],
    "de": ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Laura", "Jürgen"],
    "it": ["Marco", "Giulia", "Luca", "Chiara", "Matteo", "Francesca", "Paolo"],
}
LAST = {
    "pt": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Gonçalves"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Hughes", "Patel"],
    "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro"],
    "fr": ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker"],
    "it": ["Rossi", "Russo", "Bianchi", "Romano", "Colombo", "Ricci", "Esposito"],
}
DOMAINS = {
    "pt": ["sapo.pt", "gmail.com", "exemplo.pt", "outlook.pt", "netcabo.pt"],
    "en": ["example.com", "mailbox.co.uk", "outlook.com", "gmail.com", "fastmail.com"],
    "es": ["gmail.com", "hotmail.es", "correo.es", "telefonica.net"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com"],
    "de": ["web.de", "gmx.de", "t-online.de", "posteo.de"],
    "it": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it"],
}


def person(lang):
    return rng.choice(FIRST[lang]), rng.choice(LAST[lang])


def ascii_lower(s):
    return strip_accents(s).lower().replace(" ", "")


def make_email(lang, first=None, last=None):
    if first is None:
        first, last = person(lang)
    f, l = ascii_lower(first), ascii_lower(last)
    dom = rng.choice(DOMAINS[lang])
    style = rng.randrange(7)
    local = [f"{f}.{l}", f"{f}{l}{rng.randint(1, 99)}", f"{f[0]}{l}", f"{f}_{l}",
             f"{f}.{l}+faturas" if lang == "pt" else f"{f}.{l}+orders",
             f"{l}.{f}", f"{f}-{l}{rng.randint(70, 99)}"][style]
    e = f"{local}@{dom}"
    if rng.random() < 0.12:
        e = f"{first.capitalize()}.{last.capitalize()}@{dom}"
        e = strip_accents(e)
    return e


SPOKEN_EMAIL = {"en": ("at", "dot"), "pt": ("arroba", "ponto"), "es": ("arroba", "punto"),
                "fr": ("arobase", "point"), "it": ("chiocciola", "punto"), "de": ("at", "Punkt")}


def spoken_email(lang, first, last, dom):
    at, dot = SPOKEN_EMAIL[lang]
    local = f"{ascii_lower(first)} {dot} {ascii_lower(last)}"
    d = f" {dot} ".join(dom.split("."))
    return f"{local} {at} {d}"


def expiry():
    return "%02d/%02d" % (rng.randint(1, 12), rng.randint(25, 31))


def cvv(n=3):
    return digits(n)


def amount_eu():
    return "%d,%02d €" % (rng.randint(9, 480), rng.choice([0, 90, 99, 50, 45, 10]))


def order9():
    """9-digit order reference: not a valid NIF, not phone-like (no leading 2/9)."""
    while True:
        n = rng.choice("134578") + digits(8)
        if not nif_valid(n):
            return n


# --- phones ---------------------------------------------------------------

def pt_mobile():
    return "9" + rng.choice("1236") + digits(7)


def pt_landline():
    return rng.choice(["21", "22"]) + digits(7)


def fmt_pt(n, style):
    g = f"{n[:3]} {n[3:6]} {n[6:]}"
    return {
        "space": g, "run": n, "plus": f"+351 {g}", "plusrun": f"+351{n}",
        "00": f"00351 {n}", "paren": f"(+351) {g}", "hyphen": f"{n[:3]}-{n[3:6]}-{n[6:]}",
        "dot": f"{n[:3]}.{n[3:6]}.{n[6:]}",
    }[style]


def es_mobile():
    return rng.choice("666667") + digits(8)


def fr_number(mobile=True):
    return "0" + (rng.choice("67") if mobile else rng.choice("12345")) + digits(8)


def fmt_fr(n, style):
    pairs = [n[i:i + 2] for i in range(0, 10, 2)]
    if style == "space":
        return " ".join(pairs)
    if style == "dot":
        return ".".join(pairs)
    if style == "plus":
        return "+33 " + n[1] + " " + " ".join(pairs[1:])
    if style == "plus0":
        return "+33 (0)" + n[1] + " " + " ".join(pairs[1:])
    raise ValueError(style)


# ---------------------------------------------------------------------------
# Sample collection
# ---------------------------------------------------------------------------

SAMPLES = []


def add(lang, turns, ents):
    if isinstance(turns, str):
        turns = [turns]
    joined = "\n".join(turns)
    for kind, text in ents:
        assert kind in KINDS, kind
        assert text in joined, (text, joined)
    SAMPLES.append({"lang": lang, "turns": turns,
                    "entities": [{"kind": k, "text": t} for k, t in ents]})


def unique_ok(turns, ents):
    """Short values (security codes) must occur exactly once so they are unambiguous."""
    joined = "\n".join(turns)
    for kind, text in ents:
        if kind == "securityCode" and joined.count(text) != 1:
            return False
    return True


def gen(fn, times=1):
    for _ in range(times):
        while True:
            lang, turns, ents = fn()
            if unique_ok(turns, ents):
                break
        add(lang, turns, ents)


# ===========================================================================
# Payment cards + security codes
# ===========================================================================

def t_card_chat_en():
    n = make_card(rng.choice(["visa", "mc"]))
    c, code = fmt_card(n, "space"), cvv()
    label = rng.choice(["cvv", "CVV", "cvc", "security code"])
    turns = ["Hi, I'd like to pay the outstanding balance on my account please",
             "Of course! Please type the card number, the expiry date and the security code.",
             f"card is {c} exp {expiry()} {label} {code}",
             "Thanks, processing now, it can take up to two minutes."]
    return "en", turns, [("cardNumber", c), ("securityCode", code)]


def t_card_note_pt():
    n = make_card(rng.choice(["mc", "visa"]))
    c, code = fmt_card(n, "hyphen"), cvv()
    t = (f"Cliente ligou para regularizar a fatura em atraso ({amount_eu()}). "
         f"Cartão {c}, val. {expiry()}, CVC {code}. Pagamento aprovado às {rng.randint(9, 18)}:{rng.choice(['05', '20', '41'])}.")
    return "pt", [t], [("cardNumber", c), ("securityCode", code)]


def t_card_amex_email_en():
    n = make_card("amex")
    c, code = fmt_card(n, "run"), cvv(4)
    f, l = person("en")
    t = (f"Hello,\n\nPlease charge this year's renewal to my Amex {c} - the 4-digit code on the front is {code}.\n"
         f"The invoice INV-2024-00{rng.randint(100, 999)} is attached for reference.\n\nKind regards,\n{f} {l}")
    return "en", [t], [("cardNumber", c), ("securityCode", code)]


def t_card_spoken_en():
    n = make_card(rng.choice(["visa", "mc"]))
    oh = rng.random() < 0.5
    sp = speak(n, "en", card_groups(n), gsep=rng.choice([", ", " ", "... "]), oh=oh)
    code = cvv()
    csp = speak(code, "en", oh=oh)
    turns = ["Thank you for calling, how can I help?",
             "Hi, I need to pay my bill over the phone.",
             "No problem. Can you read me the long number on the front of the card?",
             f"Yeah, it's {sp}.",
             "Thank you. And what are the three digits on the back?",
             f"{csp}",
             "Lovely, one moment while I put that through."]
    return "en", turns, [("cardNumber", sp), ("securityCode", csp)]


def t_card_spoken_pt():
    n = make_card(rng.choice(["visa", "mc"]))
    sp = speak(n, "pt", card_groups(n), gsep=rng.choice([", ", " ", "... "]))
    code = cvv()
    csp = speak(code, "pt")
    turns = ["Muito bom dia, em que posso ajudar?",
             "Bom dia, queria pagar a última fatura com cartão.",
             "Com certeza. Pode indicar-me o número do cartão, por favor?",
             f"Sim, é {sp}.",
             "Obrigada. E o código de segurança?",
             rng.choice([f"{csp}", f"É {csp}."]),
             "Perfeito, só um momento enquanto valido."]
    return "pt", turns, [("cardNumber", sp), ("securityCode", csp)]


def t_card_split_written_en():
    n = make_card(rng.choice(["visa", "mc", "mc2"]))
    g = split_groups(n, [4, 4, 4, 4])
    k = rng.choice([2, 3])
    first, second = " ".join(g[:k]), " ".join(g[k:])
    code = cvv()
    turns = ["Go ahead with the card number whenever you're ready.",
             f"ok so it's {first}",
             f"{second}",
             "Got it. And the CVV?",
             rng.choice([f"it's {code}", f"{code}"]),
             "Thanks, that's gone through."]
    return "en", turns, [("cardNumber", f"{first}\n{second}"), ("securityCode", code)]


def t_card_split_spoken_pt():
    n = make_card(rng.choice(["visa", "mc"]))
    g = split_groups(n, [4, 4, 4, 4])
    a = speak(g[0] + g[1], "pt", [4, 4])
    b = speak(g[2] + g[3], "pt", [4, 4])
    code = cvv()
    turns = ["Diga-me então o número do cartão.",
             f"Então é {a}",
             f"{b}",
             "E os três dígitos que estão atrás?",
             f"é o {code}",
             "Obrigado, está confirmado."]
    return "pt", turns, [("cardNumber", f"{a}\n{b}"), ("securityCode", code)]


def t_card_split_spoken_en():
    n = make_card("visa")
    g = split_groups(n, [4, 4, 4, 4])
    a = speak(g[0] + g[1] + g[2], "en", [4, 4, 4], gsep=" ")
    b = speak(g[3], "en")
    code = cvv()
    csp = speak(code, "en")
    turns = ["Right, can I take the card number please?",
             f"sure, {a}",
             f"{b}",
             "And the security code, that's the last three digits on the signature strip?",
             f"um, {csp}",
             "Perfect, thank you."]
    return "en", turns, [("cardNumber", f"{a}\n{b}"), ("securityCode", csp)]


def t_card_es_chat():
    n = make_card(rng.choice(["visa", "mc"]))
    c, code = fmt_card(n, rng.choice(["space", "run"])), cvv()
    turns = ["Hola, quiero pagar el pedido pendiente con tarjeta.",
             "Claro, indíqueme el número de la tarjeta, la fecha de caducidad y el CVV.",
             f"Tarjeta {c}, caduca {expiry()}, CVV {code}",
             "Gracias. Un momento, por favor."]
    return "es", turns, [("cardNumber", c), ("securityCode", code)]


def t_card_fr_email():
    n = make_card(rng.choice(["visa", "mc"]))
    c, code = fmt_card(n, "space"), cvv()
    t = (f"Bonjour,\n\nVoici les coordonnées de ma carte pour le règlement : {c}, "
         f"date d'expiration {expiry()}, cryptogramme {code}.\n"
         f"Commande n° 2024-{rng.randint(100000, 999999)}.\n\nCordialement,\n{' '.join(person('fr'))}")
    return "fr", [t], [("cardNumber", c), ("securityCode", code)]


def t_card_de_chat():
    n = make_card(rng.choice(["mc", "visa"]))
    c, code = fmt_card(n, "run"), cvv()
    turns = ["Guten Tag, ich möchte die Rechnung per Kreditkarte bezahlen.",
             "Gerne. Bitte nennen Sie mir die Kartennummer, das Ablaufdatum und die Prüfnummer.",
             f"Meine Kreditkartennummer lautet {c}, gültig bis {expiry()}, Prüfnummer {code}.",
             "Vielen Dank, einen Moment bitte."]
    return "de", turns, [("cardNumber", c), ("securityCode", code)]


def t_card_it_note():
    n = make_card(rng.choice(["visa", "mc"]))
    c, code = fmt_card(n, "space"), cvv()
    t = (f"Il cliente comunica la carta {c} (scad. {expiry()}) e il codice CVV {code}; "
         f"importo addebitato {amount_eu()}. Pratica chiusa.")
    return "it", [t], [("cardNumber", c), ("securityCode", code)]


def t_card_spoken_es():
    n = make_card("visa")
    sp = speak(n, "es", [4, 4, 4, 4], gsep=", ")
    code = cvv()
    csp = speak(code, "es")
    turns = ["¿Me puede dar el número de la tarjeta?",
             f"Sí, es el {sp}.",
             "Perfecto. ¿Y el código de seguridad, los tres números de atrás?",
             f"{csp}.",
             "Muy bien, un momento."]
    return "es", turns, [("cardNumber", sp), ("securityCode", csp)]


def t_card_spoken_fr():
    n = make_card("mc")
    sp = speak(n, "fr", [4, 4, 4, 4], gsep=", ")
    code = cvv()
    csp = speak(code, "fr")
    turns = ["Pouvez-vous me donner le numéro de la carte ?",
             f"Oui, alors {sp}.",
             "Merci. Et les trois chiffres au dos de la carte ?",
             f"{csp}.",
             "C'est noté, merci."]
    return "fr", turns, [("cardNumber", sp), ("securityCode", csp)]


def t_card_with_bad_tracking_en():
    n = make_card("visa")
    c = fmt_card(n, "space")
    trk = fmt_card(bad_luhn_16(), "space")
    t = (f"Customer says card {c} was charged twice for the same parcel (tracking number {trk}). "
         f"Refund of $1,{rng.randint(100, 999)}.{rng.randint(10, 99)} raised, ticket TCK-{rng.randint(100000, 999999)}.")
    return "en", [t], [("cardNumber", c)]


def t_card_pt_chat_run():
    n = make_card(rng.choice(["visa", "mc"]))
    code = cvv()
    turns = ["Olá! Para concluir o pagamento preciso do número do cartão.",
             f"o meu cartão é o {n}",
             "E o CVV, por favor?",
             rng.choice([f"{code}", f"cvv {code}"]),
             "Obrigado! Pagamento efetuado com sucesso."]
    return "pt", turns, [("cardNumber", n), ("securityCode", code)]


def t_card_note_en_mc2():
    n = make_card("mc2")
    c = fmt_card(n, rng.choice(["space", "dot", "hyphen"]))
    code = cvv()
    t = (f"Card on file updated: {c} exp {expiry()}. CSC {code}. "
         f"Ticket TCK-{rng.randint(100000, 999999)} closed on {rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2024.")
    return "en", [t], [("cardNumber", c), ("securityCode", code)]


def t_card_amex_spoken_en():
    n = make_card("amex")
    sp = speak(n, "en", [4, 6, 5], gsep=", ")
    code = cvv(4)
    csp = speak(code, "en")
    turns = ["And which card will you be using today?",
             "American Express.",
             "Okay, go ahead with the number.",
             f"{sp}",
             "And the four-digit code printed on the front?",
             f"{csp}",
             "Thank you, that's all approved."]
    return "en", turns, [("cardNumber", sp), ("securityCode", csp)]


gen(t_card_chat_en)
gen(t_card_note_pt)
gen(t_card_amex_email_en)
gen(t_card_spoken_en, 2)
gen(t_card_spoken_pt, 2)
gen(t_card_split_written_en, 2)
gen(t_card_split_spoken_pt)
gen(t_card_split_spoken_en)
gen(t_card_es_chat)
gen(t_card_fr_email)
gen(t_card_de_chat)
gen(t_card_it_note)
gen(t_card_spoken_es)
gen(t_card_spoken_fr)
gen(t_card_with_bad_tracking_en)
gen(t_card_pt_chat_run)
gen(t_card_note_en_mc2)
gen(t_card_amex_spoken_en)

# ===========================================================================
# IBANs
# ===========================================================================

IBAN_CTX = {
    "PT": [("pt", "Pedido de reembolso de {amt}: transferir para o IBAN {iban}, titular {name}."),
           ("pt", ["Olá, onde devo indicar a conta para o reembolso?", "Pode escrever aqui mesmo.", "o meu iban é {iban}", "Obrigado, fica registado."])],
    "ES": [("es", "Domiciliación bancaria actualizada. Nuevo IBAN: {iban}. Titular: {name}."),
           ("es", "Buenos días,\nles ruego que devuelvan el importe de {amt} a la cuenta {iban}.\nUn saludo,\n{name}")],
    "FR": [("fr", "Merci de rembourser la somme de {amt} sur mon compte, IBAN {iban}. Bien à vous, {name}."),
           ("fr", ["Je voudrais changer le compte de prélèvement.", "Très bien, indiquez-moi le nouvel IBAN.", "C'est {iban}", "Parfait, c'est enregistré."])],
    "DE": [("de", "Bitte überweisen Sie die Erstattung ({amt}) auf folgende IBAN: {iban} (Kontoinhaber: {name})."),
           ("de", ["Können Sie mir Ihre Bankverbindung geben?", "Ja, IBAN {iban}, bei der Sparkasse.", "Danke, ist notiert."])],
    "IT": [("it", "Rimborso di {amt} da accreditare sull'IBAN {iban}, intestato a {name}."),
           ("it", ["Mi può indicare l'IBAN per il rimborso?", "Certo: {iban}", "Grazie mille, registrato."])],
    "GB": [("en", "Refund approved ({amt}). Customer's account: IBAN {iban}, name {name}. Allow 3-5 working days."),
           ("en", ["What account should we send the refund to?", "my IBAN is {iban}", "Thanks, that's saved."])],
    "NL": [("en", "Direct debit mandate changed. New IBAN {iban} ({name})."),
           ("nl", ["Waar mogen we het geld naar overmaken?", "Naar mijn rekening: {iban}", "Dank u, dat is genoteerd."])],
    "BE": [("fr", "Nouveau compte pour les prélèvements : {iban} au nom de {name}."),
           ("en", ["Could you confirm the account for the refund?", "Sure, it's a Belgian account, {iban}", "Great, thank you."])],
}


def t_iban(cc, variant):
    def f():
        iban = make_iban(cc)
        lang, tpl = IBAN_CTX[cc][variant]
        grouped = rng.random() < 0.65
        text = fmt_iban(iban, grouped)
        if variant == 1 and cc == "PT":
            text = text.lower()  # typed in lowercase in chat
        name = " ".join(person(lang if lang in FIRST else "en"))
        fill = dict(iban=text, amt=amount_eu(), name=name)
        if isinstance(tpl, list):
            turns = [s.format(**fill) for s in tpl]
        else:
            turns = [tpl.format(**fill)]
        return lang, turns, [("iban", text)]
    return f


for cc in ["PT", "ES", "FR", "DE", "IT", "GB", "NL", "BE"]:
    gen(t_iban(cc, 0))
    if cc in ("PT", "FR", "GB", "NL"):
        gen(t_iban(cc, 1))

# ===========================================================================
# Emails
# ===========================================================================


def t_email_en():
    e = make_email("en")
    turns = ["Can I update the email address on my account?",
             "Sure, what would you like it changed to?",
             rng.choice([f"please use {e} from now on", f"{e}", f"It's {e}. Thanks!"]),
             "Done. You'll get a confirmation in a couple of minutes."]
    return "en", turns, [("email", e)]


def t_email_pt():
    e = make_email("pt")
    t = rng.choice([f"Boa tarde, podem enviar a segunda via da fatura para {e}? Obrigada.",
                    f"Cliente pede que toda a correspondência passe a ser enviada para {e.upper()}.",
                    ])
    ent = e.upper() if e.upper() in t else e
    return "pt", [t], [("email", ent)]


def t_email_fr():
    e = make_email("fr")
    turns = ["Quelle est votre adresse e-mail ?", f"Mon adresse e-mail est {e}, merci de m'envoyer le devis."]
    return "fr", turns, [("email", e)]


def t_email_spoken_en():
    f, l = person("en")
    dom = rng.choice(["example.com", "gmail.com", "outlook.com"])
    sp = spoken_email("en", f, l, dom)
    turns = ["And the best email to reach you on?",
             f"it's {sp}, all lower case",
             "Let me read that back..."]
    return "en", turns, [("email", sp)]


def t_email_spoken_pt():
    f, l = person("pt")
    dom = rng.choice(["exemplo.pt", "gmail.com", "sapo.pt"])
    at, dot = SPOKEN_EMAIL["pt"]
    if rng.random() < 0.5:
        sp = f"{ascii_lower(f)} {at} {' ponto '.join(dom.split('.'))}"
    else:
        sp = spoken_email("pt", f, l, dom)
    turns = ["Qual é o seu email?", f"É {sp}.", "Muito obrigado."]
    return "pt", turns, [("email", sp)]


def t_email_spoken_es():
    f, l = person("es")
    sp = spoken_email("es", f, l, rng.choice(["gmail.com", "correo.es"]))
    turns = ["¿Me deja un correo electrónico de contacto?", f"Sí, {sp}", "Perfecto, gracias."]
    return "es", turns, [("email", sp)]


def t_email_de():
    f, l = person("de")
    e = make_email("de", f, l)
    t = f"Sehr geehrte Damen und Herren,\nbitte schicken Sie die Rechnung künftig an {e}.\nMit freundlichen Grüßen\n{f} {l}"
    return "de", [t], [("email", e)]


def t_email_it():
    e = make_email("it")
    turns = ["Buongiorno, vorrei ricevere la fattura via email.", "Certo, a quale indirizzo?", f"{e}, grazie", "Perfetto, inviata."]
    return "it", turns, [("email", e)]


gen(t_email_en)
gen(t_email_pt, 2)
gen(t_email_fr)
gen(t_email_de)
gen(t_email_it)
gen(t_email_spoken_en)
gen(t_email_spoken_pt, 2)
gen(t_email_spoken_es)

# ===========================================================================
# Phones
# ===========================================================================


def t_phone_pt_chat():
    n = pt_mobile() if rng.random() < 0.75 else pt_landline()
    p = fmt_pt(n, rng.choice(["space", "run", "plus", "plusrun", "00", "paren", "hyphen", "dot"]))
    turns = ["Podemos ligar-lhe mais tarde?",
             rng.choice([f"Sim, para o {p}", f"pode ser para o {p} depois das 18h", f"Sim: {p}"]),
             "Combinado, ligamos ainda hoje."]
    return "pt", turns, [("phone", p)]


def t_phone_pt_note():
    n = pt_landline()
    p = fmt_pt(n, rng.choice(["space", "plus"]))
    t = f"Contacto alternativo do cliente: {p} (escritório). Preferência por contacto entre 9h e 13h."
    return "pt", [t], [("phone", p)]


def t_phone_es():
    n = es_mobile()
    p = rng.choice([f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"0034 {n}", f"+34{n}"])
    turns = ["¿En qué número le podemos localizar?", f"En el {p}, por las tardes.", "De acuerdo, gracias."]
    return "es", turns, [("phone", p)]


def t_phone_es_landline():
    n = "91" + digits(7)
    p = f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"
    t = f"La clienta solicita que la llamen al fijo {p} antes de las 14:00. Pedido 2024/{rng.randint(10000, 99999)}."
    return "es", [t], [("phone", p)]


def t_phone_fr():
    n = fr_number(rng.random() < 0.7)
    p = fmt_fr(n, rng.choice(["space", "dot", "plus", "plus0"]))
    turns = ["À quel numéro pouvons-nous vous rappeler ?", f"Au {p}, de préférence le matin.", "Très bien, c'est noté."]
    return "fr", turns, [("phone", p)]


def t_phone_uk():
    style = rng.randrange(4)
    if style == 0:
        p = f"07{rng.choice('4789')}{digits(2)} {digits(6)}"
    elif style == 1:
        p = f"+44 7{rng.choice('4789')}{digits(2)} {digits(6)}"
    elif style == 2:
        p = f"(020) {digits(4)} {digits(4)}"
    else:
        p = f"+44 (0)20 {digits(4)} {digits(4)}"
    turns = ["What's the best number to call you back on?", f"{p}, any time after 5", "Brilliant, speak soon."]
    return "en", turns, [("phone", p)]


def t_phone_de():
    style = rng.randrange(3)
    if style == 0:
        p = f"0{rng.choice(['151', '160', '170', '176'])} {digits(8)}"
    elif style == 1:
        p = f"+49 {rng.choice(['151', '171', '176'])} {digits(4)} {digits(4)}"
    else:
        p = f"030/{digits(7)}"
    t = f"Rückruf erwünscht unter {p}, am besten vormittags. Kundennummer K-{rng.randint(10000, 99999)}."
    return "de", [t], [("phone", p)]


def t_phone_it():
    style = rng.randrange(3)
    if style == 0:
        p = f"3{rng.choice(['33', '47', '48', '39', '20'])} {digits(3)} {digits(4)}"
    elif style == 1:
        p = f"+39 06 {digits(4)} {digits(4)}"
    else:
        p = f"0039 3{rng.choice(['47', '33'])} {digits(7)}"
    turns = ["Mi lascia un recapito telefonico?", f"Sì, il mio numero è {p}", "Grazie, la richiameremo entro domani."]
    return "it", turns, [("phone", p)]


def t_phone_intl():
    style = rng.randrange(3)
    if style == 0:
        p = f"+1 (415) 555-{digits(4)}"
        lang, t = "en", f"Customer is travelling in the US this month, reachable at {p} (mobile)."
    elif style == 1:
        p = f"+55 11 9{digits(4)}-{digits(4)}"
        lang, t = "pt", f"Cliente está no Brasil até ao fim do mês, contacto: {p}."
    else:
        n = pt_mobile()
        p = f"00351 {n[:3]} {n[3:6]} {n[6:]}"
        lang, t = "en", f"Calling from abroad, please ring back on {p}."
    return lang, [t], [("phone", p)]


def t_phone_spoken_pt():
    n = pt_mobile()
    sp = speak(n, "pt", [3, 3, 3], gsep=rng.choice([", ", " "]))
    turns = ["Qual é o melhor contacto?", f"É o {sp}.", "Repito: está correto. Obrigada."]
    return "pt", turns, [("phone", sp)]


def t_phone_spoken_pt_split():
    n = pt_mobile()
    a = speak(n[:6], "pt", [3, 3])
    b = speak(n[6:], "pt")
    turns = ["Diga o número de telemóvel, por favor.", f"{a}", f"{b}", "Muito bem, obrigado."]
    return "pt", turns, [("phone", f"{a}\n{b}")]


def t_phone_spoken_uk():
    while True:
        n = "07" + rng.choice("4789") + digits(2) + digits(6)
        if any(n[i] == n[i + 1] for i in range(2, 10)):
            break
    sp = speak(n, "en", [5, 6], gsep=", ", oh=True, double=True)
    turns = ["Could I take a contact number?", f"Yeah, it's {sp}.", "Thanks, I'll note that down."]
    return "en", turns, [("phone", sp)]


def t_phone_spoken_es():
    n = es_mobile()
    sp = speak(n, "es", [3, 3, 3], gsep=", ")
    turns = ["¿Su número de móvil?", f"{sp}", "Gracias."]
    return "es", turns, [("phone", sp)]


gen(t_phone_pt_chat, 3)
gen(t_phone_pt_note)
gen(t_phone_es)
gen(t_phone_es_landline)
gen(t_phone_fr, 2)
gen(t_phone_uk, 2)
gen(t_phone_de)
gen(t_phone_it)
gen(t_phone_intl, 2)
gen(t_phone_spoken_pt)
gen(t_phone_spoken_pt_split)
gen(t_phone_spoken_uk)
gen(t_phone_spoken_es)

# ===========================================================================
# National identifiers
# ===========================================================================


def t_nif_pt():
    n = make_nif()
    style = rng.randrange(3)
    if style == 0:
        t, ent = f"Fatura emitida com o NIF {n}. Cliente pediu envio por correio.", n
    elif style == 1:
        ent = f"{n[:3]} {n[3:6]} {n[6:]}"
        t = f"Contribuinte n.º {ent} — alterar dados de faturação a partir de maio."
    else:
        ent = n
        return "pt", ["Para a fatura, qual é o número de contribuinte?", f"{n}", "Obrigado."], [("nationalID", ent)]
    return "pt", [t], [("nationalID", ent)]


def t_nif_spoken():
    n = make_nif()
    sp = speak(n, "pt", [3, 3, 3], gsep=" ")
    turns = ["Preciso do seu NIF para emitir a fatura.", f"Claro, {sp}.", "Perfeito."]
    return "pt", turns, [("nationalID", sp)]


def t_dni():
    n, l = make_dni()
    ent = rng.choice([f"{n}{l}", f"{n}-{l}", f"{n[:2]}.{n[2:5]}.{n[5:]}-{l}", f"{n} {l}"])
    t = rng.choice([f"Titular identificado con DNI {ent}. Se actualiza la dirección de envío.",
                    f"El cliente facilita su DNI ({ent}) para la factura."])
    return "es", [t], [("nationalID", ent)]


def t_nie():
    p, n, l = make_nie()
    ent = rng.choice([f"{p}{n}{l}", f"{p}-{n}-{l}"])
    turns = ["¿Me indica su NIE?", f"Sí, {ent}", "Gracias, ya lo tengo."]
    return "es", turns, [("nationalID", ent)]


def t_nir():
    parts = make_nir()
    ent = " ".join(parts) if rng.random() < 0.6 else "".join(parts)
    assert nir_valid(ent)
    t = rng.choice([f"Numéro de sécurité sociale de l'assuré : {ent}. Dossier transmis au service remboursements.",
                    f"Le client communique son NIR {ent} pour la mutuelle."])
    return "fr", [t], [("nationalID", ent)]


def t_steuer():
    s = make_steuer_id()
    ent = f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}" if rng.random() < 0.5 else s
    assert steuer_valid(ent)
    t = rng.choice([f"Steuer-ID des Kunden: {ent}. Bitte für die Jahresbescheinigung vormerken.",
                    f"Meine steuerliche Identifikationsnummer ist {ent}."])
    return "de", [t], [("nationalID", ent)]


def t_cf():
    female = rng.random() < 0.5
    name = rng.choice(["Giulia", "Chiara", "Francesca"] if female else ["Marco", "Luca", "Matteo", "Paolo"])
    sur = rng.choice(LAST["it"])
    cf = make_cf(sur, name, female)
    assert cf_valid(cf)
    ent = cf.lower() if rng.random() < 0.25 else cf
    turns = ["Per completare la pratica mi serve il codice fiscale.", f"È {ent}", f"Grazie, {name}."]
    return "it", turns, [("nationalID", ent)]


def t_nino():
    a, d, s = make_nino()
    ent = rng.choice([f"{a} {d[:2]} {d[2:4]} {d[4:]} {s}", f"{a}{d}{s}", f"{a.lower()}{d}{s.lower()}"])
    t = rng.choice([f"Customer's National Insurance number {ent} confirmed for the pension transfer.",
                    f"NI number: {ent}. Employer details to follow by post."])
    return "en", [t], [("nationalID", ent)]


gen(t_nif_pt, 3)
gen(t_nif_spoken)
gen(t_dni, 3)
gen(t_nie, 2)
gen(t_nir, 2)
gen(t_steuer, 2)
gen(t_cf, 2)
gen(t_nino, 2)

# ===========================================================================
# Mixed samples (several kinds + near-misses right next to real entities)
# ===========================================================================


def t_mix_pt_account():
    f, l = person("pt")
    e, nif, ph = make_email("pt", f, l), make_nif(), fmt_pt(pt_mobile(), "plus")
    ordn = order9()
    t = (f"Atualização de dados — {f} {l}\nNIF: {nif}\nEmail: {e}\nTelemóvel: {ph}\n"
         f"Encomenda n.º {ordn} de 12/05/2024, total {amount_eu()}. Código postal 1100-053 Lisboa.")
    return "pt", [t], [("nationalID", nif), ("email", e), ("phone", ph)]


def t_mix_en_signature():
    f, l = person("en")
    e = make_email("en", f, l)
    ph = f"+44 7{rng.choice('4789')}{digits(2)} {digits(6)}"
    t = (f"Hi team,\n\nInvoice INV-2024-00871 ($1,234.56) still shows as unpaid although I paid it on 2024-05-12. "
         f"Order ref {order9()}.\n\nThanks,\n{f} {l}\nM: {ph}\nE: {e}")
    return "en", [t], [("phone", ph), ("email", e)]


def t_mix_es_form():
    f, l = person("es")
    n, letter = make_dni()
    dni = f"{n}{letter}"
    e = make_email("es", f, l)
    m = es_mobile()
    ph = f"{m[:3]} {m[3:6]} {m[6:]}"
    t = f"Nombre: {f} {l} | DNI: {dni} | Tel.: {ph} | Email: {e} | CP: 28013 | Pedido: 2024/{rng.randint(10000, 99999)}"
    return "es", [t], [("nationalID", dni), ("phone", ph), ("email", e)]


def t_mix_it_cf_iban():
    name, sur = "Luca", rng.choice(LAST["it"])
    cf = make_cf(sur, name, False)
    ib = fmt_iban(make_iban("IT"))
    t = f"Rimborso pratica n. 2024/00{rng.randint(100, 999)}: intestatario {name} {sur}, C.F. {cf}, IBAN {ib}, importo 129,90 €."
    return "it", [t], [("nationalID", cf), ("iban", ib)]


def t_mix_de_steuer_iban():
    s = make_steuer_id()
    ib = fmt_iban(make_iban("DE"))
    turns = ["Für die Auszahlung brauche ich Ihre Steuer-ID und Ihre IBAN.",
             f"Die Steuer-ID ist {s}.",
             f"Und die IBAN: {ib}",
             f"Danke. Die Auszahlung erfolgt am 12.05.2024, Vorgangsnummer {rng.randint(1000000, 9999999)}."]
    return "de", turns, [("nationalID", s), ("iban", ib)]


def t_mix_uk_nino_phone():
    a, d, s = make_nino()
    nino = f"{a} {d[:2]} {d[2:4]} {d[4:]} {s}"
    ph = f"07{rng.choice('4789')}{digits(2)} {digits(3)} {digits(3)}"
    turns = ["Can I take your National Insurance number for security?",
             f"Yes, it's {nino}.",
             "Thanks. And a contact number?",
             f"{ph}. My postcode is SW1A 1AA if you need it.",
             "That's everything, it'll take about five working days."]
    return "en", turns, [("nationalID", nino), ("phone", ph)]


def t_mix_fr_nir_email():
    parts = make_nir()
    nir = " ".join(parts)
    f, l = person("fr")
    e = make_email("fr", f, l)
    t = (f"Dossier n° 2024-{rng.randint(100000, 999999)} — assuré {f} {l}, NIR {nir}, courriel {e}. "
         f"Montant remboursé : 49,99 € le 12/05/2024.")
    return "fr", [t], [("nationalID", nir), ("email", e)]


def t_mix_pt_card_iban_call():
    n = make_card("visa")
    sp = speak(n, "pt", [4, 4, 4, 4], gsep=" ")
    code = cvv()
    ib = fmt_iban(make_iban("PT"), grouped=False)
    turns = ["Vou precisar de um cartão para a caução e de um IBAN para a devolução.",
             "Está bem. O cartão é " + sp + ".",
             "E o código de segurança?",
             f"{speak(code, 'pt')}",
             "Agora o IBAN, pode escrever no chat.",
             f"{ib}",
             "Obrigado. A devolução demora dois a três dias úteis."]
    return "pt", turns, [("cardNumber", sp), ("securityCode", speak(code, "pt")), ("iban", ib)]


def t_mix_en_card_near_order():
    n = make_card("mc")
    c = fmt_card(n, "hyphen")
    code = cvv()
    bad = fmt_card(bad_luhn_16(), "hyphen")
    t = (f"Order #{order9()} placed 12/05/2024 14:32. Gift voucher {bad} rejected; "
         f"paid instead with card {c} (CVC {code}). Total £89.99, 2 items.")
    return "en", [t], [("cardNumber", c), ("securityCode", code)]


gen(t_mix_pt_account)
gen(t_mix_en_signature)
gen(t_mix_es_form)
gen(t_mix_it_cf_iban)
gen(t_mix_de_steuer_iban)
gen(t_mix_uk_nino_phone)
gen(t_mix_fr_nir_email)
gen(t_mix_pt_card_iban_call)
gen(t_mix_en_card_near_order)

# ===========================================================================
# Negatives / near-misses (entities: [])
# ===========================================================================

NEG = []


def neg(lang, turns):
    NEG.append((lang, [turns] if isinstance(turns, str) else turns))


def bad_nif9(first):
    while True:
        n = first + digits(8)
        if not nif_valid(n):
            return n


def bad_steuer11():
    while True:
        n = str(rng.randint(1, 9)) + digits(10)
        if not steuer_valid(n):
            return n


o1 = order9()
neg("pt", ["Boa tarde, a minha encomenda ainda não chegou.",
           "Lamento. Pode indicar o número da encomenda?",
           f"É a {o1}, paga no dia 12/05/2024.",
           "Obrigado, vou verificar. Um momento, por favor."])
neg("en", "Invoice INV-2024-00871 for $1,234.56 is due on 2024-05-12. Please quote the invoice number when paying by bank transfer.")
neg("en", f"Tracking: 1Z{rng.choice(['999AA1', '4E7F02', '88X2W9'])}{digits(10)} — estimated delivery Tue 14 May, between 10:30 and 14:00.")
neg("pt", f"O registo {'RR' + bad_nif9('4') + 'PT'} foi entregue na estação dos CTT de Coimbra a 03/06/2024.")
neg("pt", "A reunião ficou marcada para 12/05/2024 às 14h30; se não puder comparecer avise até às 18:00 do dia anterior.")
neg("pt", "O valor da fatura é de 129,90 € (IVA incluído à taxa de 23%). Já foram pagos 45,00 € em março e o restante fica para junho.")
neg("pt", "Morada de entrega: Rua das Flores 27, 2.º esq., 4050-262 Porto. Entregar entre as 9h e as 13h.")
neg("es", f"El pedido 2024/{rng.randint(10000, 99999)} se enviará al CP 28013 (Madrid). Importe: 1.234,56 €. Plazo de entrega: 3-5 días laborables.")
neg("fr", f"Votre commande n° 2024-{rng.randint(100000, 999999)} du 12/05/2024, d'un montant de 49,99 €, sera livrée au 75008 Paris entre 9 h et 12 h.")
neg("de", f"Ihre Bestellnummer lautet {rng.randint(7000000000, 7999999999)}. Lieferung am 12.05.2024 an PLZ 10115 Berlin, Betrag 89,00 €.")
neg("it", f"Ordine n. {rng.randint(100000, 999999)} del 2024-05-12, totale 129,90 €, consegna prevista entro 48 ore al CAP 20121 Milano.")
neg("en", "Customer has a Samsung SM-G991B and Sony WH-1000XM4 headphones; app on v2.14.3 (build 20240512.1). Reinstall fixed the pairing issue.")
neg("en", [f"Your ticket number is TCK-{rng.randint(100000, 999999)}.", "And the old one?",
           f"The previous case was #{rng.randint(100000, 999999)}, it was closed on the 3rd."])
neg("en", ["One moment please.", "Sure.", "Sorry, give me two minutes, the system is slow today.",
           "No worries, I've called three times this week already.", "I do apologise. Okay, thanks for waiting."])
neg("pt", ["Só um momento, por favor.", "Estou à espera há vinte minutos...",
           "Peço desculpa. Vou transferir para o departamento técnico, dois segundos."])
neg("en", f"Tracking number: {fmt_card(bad_luhn_16('4'), 'space')}. Parcel weight 2.4 kg, 3 boxes.")
neg("pt", f"Referência do pedido de portabilidade: {bad_luhn_16('5')}. Data prevista: 2024-06-01.")
neg("en", f"Orders #{order9()} and #{order9()} were merged into a single shipment on 05/14/2024.")
neg("en", f"The sample IBAN printed on the leaflet, {fmt_iban(bad_iban('GB'))}, is only a placeholder - customers should not copy it.")
neg("de", f"Achtung: Die Beispiel-IBAN {fmt_iban(bad_iban('DE'))} im Formular ist ungültig und dient nur zur Illustration.")
neg("pt", f"Nota interna: o valor {bad_iban('PT')} que aparece no modelo de carta é um exemplo e não corresponde a nenhuma conta.")
neg("en", ["I ordered four, but only three arrived, and one of them is cracked.", "So two are missing?",
           "No, one. Sorry - one is missing and one is broken."])
neg("pt", ["Encomendei seis garrafas e chegaram cinco, uma delas partida.", "Então faltam uma e há outra partida, certo?", "Exatamente."])
neg("en", ["What's the order number?", "seven seven three one two", "Thanks, I can see it. It shipped on Monday."])
neg("en", "It was May twelfth, twenty twenty-four, around half past two, when I first called.")
neg("pt", "O horário de atendimento é das 9h às 18h, de segunda a sexta; aos sábados das 10:00 às 13:00.")
neg("pt", f"Cliente confirma que o pagamento foi feito com o cartão terminado em {digits(4)}; sem mais dados.")
neg("en", f"Card ending ****{digits(4)} was declined (XXXX-XXXX-XXXX-{digits(4)} on the receipt). Customer will try another card.")
neg("en", "Item EAN 5601234567890, ISBN 978-972-0-04712-3, qty 2 @ €14.95.")
neg("pt", ["Como prefere pagar?", "Por referência Multibanco.",
           f"Entidade 21312, referência {(lambda r: r[:3] + ' ' + r[3:6] + ' ' + r[6:])(bad_nif9(rng.choice('3457')))}, valor 45,00 €."])
neg("en", f"Error 0x80070005 when updating; router model TL-WR841N, serial {rng.randint(2200000000, 2299999999)}, HTTP 404 on /status.")
neg("pt", "Voo TP1234 de 12/05 às 07:45, reserva XK4J9L, lugar 14C. Bagagem de 23 kg incluída.")
neg("pt", f"Fatura FT 2024/{rng.randint(1000, 9999)} e nota de crédito NC 2024/{rng.randint(10, 99)} emitidas no mesmo dia.")
neg("de", f"Kundennummer {bad_steuer11()}, Vertragsnummer V-2024-{rng.randint(1000, 9999)}. Kündigung zum 31.12.2024 bestätigt.")
neg("es", f"Número de referencia {rng.randint(10000000, 99999999)}: guarde este número para cualquier consulta.")
neg("pt", f"Código CPE PT0002000012{digits(6)}XY, leitura do contador 004512 kWh em 2024-05-12.")
neg("it", f"Pratica n. 2024/00{rng.randint(100, 999)}, protocollo {rng.randint(10000, 99999)}, scadenza 30/06/2024.")
neg("pt", "Siga-nos em @loja_online ou consulte www.exemplo.pt/devolucoes para iniciar a devolução.")
neg("en", f"Policy ref GB-2024-{rng.randint(1000, 9999)}, claim CLM/88/2024, excess £250.")
neg("fr", "Pour un virement international, le BIC de la banque est BNPAFRPP ; délai de 2 à 3 jours ouvrés.")
neg("en", "Weekly stats: CSAT 4.6/5, NPS 72, SLA 95% within 24h, AHT 6:45, 1,284 calls handled.")
neg("de", f"Sendungsnummer {fmt_card(bad_luhn_16('3'), 'hyphen')}, Zustellung voraussichtlich am 14.05.2024.")
neg("fr", ["J'ai commandé trois cartons et il en manque deux.", "Je suis désolé, je vérifie. Un instant s'il vous plaît."])
neg("es", ["Le llamo en cinco minutos, ¿de acuerdo?", "Sí, perfecto, estaré aquí hasta las seis."])
neg("en", "Please call back at 14:30 or 16:45 CET; the shop closes at 19:00 on 24/12.")

for lang, turns in NEG:
    add(lang, turns, [])

# ---------------------------------------------------------------------------
# Sanity checks on negatives: no accidental checksum-valid values
# ---------------------------------------------------------------------------

import re  # noqa: E402

for s in SAMPLES:
    if s["entities"]:
        continue
    joined = "\n".join(s["turns"])
    for m in re.finditer(r"\d[\d \-.]{11,22}\d", joined):
        d = only_digits(m.group())
        if len(d) in (15, 16):
            assert not luhn_valid(d), joined
    for m in re.finditer(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?", joined):
        assert not iban_valid(m.group()), joined

# Positive checksum checks for written values
for s in SAMPLES:
    for e in s["entities"]:
        t = e["text"]
        d = only_digits(t)
        if e["kind"] == "cardNumber" and d:
            assert luhn_valid(d), t
        if e["kind"] == "iban":
            assert iban_valid(t.replace("\n", "")), t

# ---------------------------------------------------------------------------
# Shuffle and write
# ---------------------------------------------------------------------------

rng.shuffle(SAMPLES)
out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout.jsonl")
with open(out_path, "w", encoding="utf-8") as fh:
    for i, s in enumerate(SAMPLES, 1):
        rec = {"id": "h%03d" % i, "lang": s["lang"], "turns": s["turns"], "entities": s["entities"]}
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    from collections import Counter
    kinds = Counter(e["kind"] for s in SAMPLES for e in s["entities"])
    print(f"wrote {len(SAMPLES)} samples to {out_path}")
    print("negatives:", sum(1 for s in SAMPLES if not s["entities"]))
    print("entities:", dict(sorted(kinds.items())))
