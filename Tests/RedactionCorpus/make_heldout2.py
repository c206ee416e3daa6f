#!/usr/bin/env python3
"""Second independent held-out corpus for the PII redactor (heldout2.jsonl).

Written without looking at the implementation or earlier corpora.
Styles: messy chat, forwarded e-mails with signatures/quotes, agent wrap-up
notes, speech-to-text transcripts. Deterministic (random.Random(SEED)).
All positive identifiers carry valid checksums; near-misses deliberately fail.
"""
import json
import os
import random

SEED = 0x5EED2
rng = random.Random(SEED)
D = "0123456789"


def digits(n):
    return "".join(rng.choice(D) for _ in range(n))


# ---------------------------------------------------------------- checksums
def luhn_ok(n):
    s = 0
    for i, ch in enumerate(reversed(n)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


def luhn_complete(partial):
    for c in D:
        if luhn_ok(partial + c):
            return partial + c
    raise AssertionError


def card(kind=None):
    kind = kind or rng.choice(["visa", "visa", "mc", "mc", "amex"])
    if kind == "visa":
        p, L = "4", 16
    elif kind == "mc":
        p = rng.choice([str(rng.randint(51, 55)), str(rng.randint(2221, 2720))])
        L = 16
    else:
        p, L = rng.choice(["34", "37"]), 15
    return luhn_complete(p + digits(L - 1 - len(p)))


def bad_card():
    c = card(rng.choice(["visa", "mc"]))
    return c[:-1] + str((int(c[-1]) + rng.randint(1, 9)) % 10)


def fmt_card(c, style=None):
    style = style or rng.choice(["sp", "sp", "dash", "none", "dot"])
    if len(c) == 15:
        g = [c[:4], c[4:10], c[10:]]
    else:
        g = [c[i:i + 4] for i in range(0, 16, 4)]
    sep = {"sp": " ", "dash": "-", "none": "", "dot": "."}[style]
    return sep.join(g)


def iban_check(cc, bban):
    num = "".join(str(int(ch, 36)) for ch in (bban + cc + "00"))
    return "%02d" % (98 - int(num) % 97)


def iban_ok(s):
    s = s.replace(" ", "").upper()
    num = "".join(str(int(ch, 36)) for ch in (s[4:] + s[:4]))
    return int(num) % 97 == 1


ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
       16, 10, 22, 25, 24, 23]


def _val(ch):
    return int(ch) if ch.isdigit() else ord(ch) - 65


def it_check(s):  # shared by codice fiscale and Italian CIN
    t = 0
    for i, ch in enumerate(s):
        t += ODD[_val(ch)] if i % 2 == 0 else _val(ch)
    return chr(65 + t % 26)


def bban(cc):
    if cc == "PT":
        return rng.choice(["0007", "0033", "0035", "0010", "0018"]) + digits(17)
    if cc == "ES":
        return rng.choice(["2100", "0049", "0182", "2038"]) + digits(16)
    if cc == "FR":
        bank, br, acc = digits(5), digits(5), digits(11)
        key = 97 - ((89 * int(bank) + 15 * int(br) + 3 * int(acc)) % 97)
        return bank + br + acc + "%02d" % key
    if cc == "DE":
        return digits(8) + digits(10)
    if cc == "IT":
        rest = digits(5) + digits(5) + digits(12)
        return it_check(rest) + rest
    if cc == "NL":
        return rng.choice(["ABNA", "RABO", "INGB", "TRIO"]) + digits(10)
    if cc == "BE":
        b = digits(10)
        m = int(b) % 97
        return b + "%02d" % (m if m else 97)
    if cc == "GB":
        return rng.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(14)
    raise ValueError(cc)


def iban(cc):
    b = bban(cc)
    return cc + iban_check(cc, b) + b


def bad_iban(cc):
    i = iban(cc)
    while True:
        pos = rng.randint(5, len(i) - 1)
        if i[pos].isdigit():
            j = i[:pos] + str((int(i[pos]) + rng.randint(1, 9)) % 10) + i[pos + 1:]
            if not iban_ok(j):
                return j


def fmt_iban(i, style=None):
    style = style or rng.choice(["grp", "grp", "compact", "lower"])
    if style == "compact":
        return i
    if style == "lower":
        return i.lower()
    return " ".join(i[k:k + 4] for k in range(0, len(i), 4))


def nif(valid=True):
    b = rng.choice("123568") + digits(7)
    s = sum(int(d) * (9 - k) for k, d in enumerate(b))
    c = 11 - s % 11
    if c >= 10:
        c = 0
    if not valid:
        c = (c + rng.randint(1, 9)) % 10
    return b + str(c)


DNI_L = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(valid=True):
    n = rng.randint(10000000, 99999999)
    l = DNI_L[n % 23]
    if not valid:
        l = rng.choice([x for x in DNI_L if x != l])
    return "%08d%s" % (n, l)


def nie():
    p = rng.choice("XYZ")
    n = digits(7)
    return p + n + DNI_L[int(str("XYZ".index(p)) + n) % 23]


def nir(valid=True):
    n = (rng.choice("12") + "%02d" % rng.randint(50, 99) + "%02d" % rng.randint(1, 12)
         + "%02d" % rng.choice([13, 31, 33, 59, 69, 75, 78, 92, 93, 94])
         + "%03d" % rng.randint(1, 899) + "%03d" % rng.randint(1, 999))
    k = 97 - int(n) % 97
    if not valid:
        k = (k + rng.randint(1, 40)) % 97 or 1
    return n + "%02d" % k


def fmt_nir(n, spaced):
    if not spaced:
        return n
    return " ".join([n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]])


def steuer_id(valid=True):
    while True:
        missing = rng.choice(D)
        rest = [d for d in D if d != missing]
        arr = rest + [rng.choice(rest)]
        rng.shuffle(arr)
        if arr[0] != "0":
            break
    prod = 10
    for d in arr:
        s = (int(d) + prod) % 10
        if s == 0:
            s = 10
        prod = (s * 2) % 11
    c = 11 - prod
    if c == 10:
        c = 0
    if not valid:
        c = (c + rng.randint(1, 9)) % 10
    return "".join(arr) + str(c)


def fmt_sid(s, spaced):
    return " ".join([s[:2], s[2:5], s[5:8], s[8:]]) if spaced else s


def codice_fiscale(valid=True):
    sur = rng.choice(["RSS", "BNC", "FRR", "CLM", "RCC", "MRN", "GLL", "CST", "BRN", "DLC"])
    nam = rng.choice(["MRA", "GLI", "LCU", "FNC", "GPP", "LNE", "MTT", "SRA", "NDR", "CHR"])
    yy = "%02d" % rng.randint(50, 99)
    mm = rng.choice("ABCDEHLMPRST")
    dd = rng.randint(1, 28) + rng.choice([0, 40])
    com = rng.choice(["H501", "F205", "A944", "L219", "F839", "G273", "D612", "L736"])
    b = sur + nam + yy + mm + "%02d" % dd + com
    c = it_check(b)
    if not valid:
        c = rng.choice([x for x in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if x != c])
    return b + c


def nino(valid=True):
    if not valid:
        return rng.choice(["QQ", "DA", "FZ", "BG", "GB", "NK", "TN", "ZZ"]) + digits(6) + rng.choice("ABCD")
    bad1, bad2 = set("DFIQUV"), set("DFIOQUV")
    while True:
        a = rng.choice("ABCEGHJKLMNPRSTWXYZ")
        b = rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if a in bad1 or b in bad2 or a + b in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            continue
        return a + b + digits(6) + rng.choice("ABCD")


def fmt_nino(n, spaced):
    return " ".join([n[:2], n[2:4], n[4:6], n[6:8], n[8]]) if spaced else n


# ---------------------------------------------------------------- phones
def phone(cc, style=None):
    style = style if style is not None else rng.randint(0, 3)
    if cc == "PT":
        n = "9" + rng.choice("1236") + digits(7)
        f = [n[:3] + " " + n[3:6] + " " + n[6:], "+351 " + n[:3] + " " + n[3:6] + " " + n[6:],
             "+351" + n, "00351 " + n]
    elif cc == "ES":
        n = rng.choice("67") + digits(8)
        f = [n[:3] + " " + n[3:5] + " " + n[5:7] + " " + n[7:], "+34 " + n[:3] + " " + n[3:6] + " " + n[6:],
             n, "0034 " + n[:3] + " " + n[3:5] + " " + n[5:7] + " " + n[7:]]
    elif cc == "FR":
        n = rng.choice("67") + digits(8)
        pairs = [n[1:3], n[3:5], n[5:7], n[7:9]]
        f = ["0" + n[0] + " " + " ".join(pairs), "+33 " + n[0] + " " + " ".join(pairs),
             "0" + n[0] + "." + ".".join(pairs), "+33" + n]
    elif cc == "DE":
        pre = rng.choice(["151", "152", "160", "170", "171", "176", "157"])
        sub = digits(rng.choice([7, 8]))
        f = ["0" + pre + " " + sub, "+49 " + pre + " " + sub, "+49 (0)" + pre + " " + sub,
             "0" + pre + "/" + sub[:4] + " " + sub[4:]]
    elif cc == "IT":
        n = "3" + rng.choice(["20", "28", "33", "35", "38", "40", "47", "49", "66", "92"]) + digits(7)
        f = [n[:3] + " " + n[3:6] + " " + n[6:], "+39 " + n[:3] + " " + n[3:], "+39 " + n, n]
    elif cc == "UK":
        n = "7" + rng.choice(["400", "700", "911", "824", "588", "956"]) + digits(6)
        f = ["0" + n[:4] + " " + n[4:], "+44 " + n[:4] + " " + n[4:], "+44 (0)" + n[:4] + " " + n[4:],
             "0" + n]
    else:
        raise ValueError(cc)
    return f[style % len(f)]


def raw_phone(cc):
    p = phone(cc, 0)
    return "".join(ch for ch in p if ch.isdigit())


# ---------------------------------------------------------------- spoken
WORDS = {
    "en": "zero one two three four five six seven eight nine".split(),
    "pt": "zero um dois três quatro cinco seis sete oito nove".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun".split(),
    "it": "zero uno due tre quattro cinque sei sette otto nove".split(),
}


def speak(num, lang, mix=0.0, oh=False):
    out = []
    for ch in num:
        if not ch.isdigit():
            continue
        if rng.random() < mix:
            out.append(ch)
        elif oh and ch == "0" and rng.random() < 0.6:
            out.append("oh")
        else:
            out.append(WORDS[lang][int(ch)])
    return " ".join(out)


def speak_groups(num, lang, size=4, digit_group_p=0.4):
    """some groups read as words, some transcribed as digits"""
    g = [num[i:i + size] for i in range(0, len(num), size)]
    return " ".join(x if rng.random() < digit_group_p else speak(x, lang) for x in g)


# ---------------------------------------------------------------- names
FIRST = {"en": ["james", "olivia", "liam", "chloe", "harry", "amelia", "jack", "sophie"],
         "pt": ["joana", "tiago", "ines", "rui", "marta", "joao", "beatriz", "nuno"],
         "es": ["lucia", "pablo", "carmen", "javier", "elena", "diego"],
         "fr": ["camille", "lucas", "manon", "hugo", "lea", "julien"],
         "de": ["lukas", "anna", "felix", "lena", "jonas", "marie"],
         "it": ["giulia", "marco", "chiara", "luca", "francesca", "matteo"]}
LAST = {"en": ["walsh", "patel", "hughes", "clarke", "bennett", "okafor"],
        "pt": ["ferreira", "sousa", "carvalho", "pinto", "moreira", "lopes"],
        "es": ["garcia", "moreno", "ruiz", "navarro", "ortega", "iglesias"],
        "fr": ["martin", "bernard", "dubois", "lefevre", "girard", "moreau"],
        "de": ["mueller", "schmidt", "wagner", "becker", "hoffmann", "krause"],
        "it": ["rossi", "bianchi", "esposito", "romano", "colombo", "ricci"]}
DOM = {"en": ["gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com"],
       "pt": ["sapo.pt", "gmail.com", "hotmail.com", "netcabo.pt", "outlook.pt"],
       "es": ["gmail.com", "hotmail.es", "telefonica.net", "yahoo.es"],
       "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com"],
       "de": ["web.de", "gmx.de", "t-online.de", "posteo.de"],
       "it": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it"]}


def person(lang):
    return rng.choice(FIRST[lang]), rng.choice(LAST[lang])


def email(lang, f=None, l=None):
    f = f or rng.choice(FIRST[lang])
    l = l or rng.choice(LAST[lang])
    local = rng.choice([f + "." + l, f + l + str(rng.randint(1, 99)), f[0] + l, f + "_" + l,
                        l + "." + f[0]])
    return local + "@" + rng.choice(DOM[lang])


def cvv(n=3):
    return digits(n)


def exp():
    return "%02d/%02d" % (rng.randint(1, 12), rng.randint(25, 31))


def amount_eu():
    return "%d,%02d" % (rng.randint(5, 2999), rng.randint(0, 99))


def date_eu():
    return "%02d/%02d/20%02d" % (rng.randint(1, 28), rng.randint(1, 12), rng.randint(23, 25))


# ================================================================ templates
# each returns (lang, turns, [(kind, text), ...])

# ---------- English, positive
def en_chat_card():
    c = card()
    fc = fmt_card(c)
    sc = cvv(4 if len(c) == 15 else 3)
    cv = rng.choice(["cvv {}", "cvc is {}", "and the code on the back {} 🙈", "sec code {}"]).format(sc)
    turns = [rng.choice(["hey can u update my card pls 😅", "hiii need to change payment method",
                         "ugh my old card expired can i give u the new one"]),
             rng.choice(["sure go ahead", "ok, send it over"]),
             "its {} exp {}".format(fc, exp()),
             cv]
    return "en", turns, [("cardNumber", fc), ("securityCode", sc)]


def en_chat_card_split():
    c = card(rng.choice(["visa", "mc"]))
    g = [c[i:i + 4] for i in range(0, 16, 4)]
    a, b = " ".join(g[:2]), " ".join(g[2:])
    sc = cvv()
    turns = ["ok sending in 2 bits bc im on the bus lol",
             a,
             b + " 👍",
             "cvv " + sc + " and its £42.99 right?"]
    return "en", turns, [("cardNumber", a + "\n" + b), ("securityCode", sc)]


def en_transcript_card():
    c = card(rng.choice(["visa", "mc"]))
    sp = speak_groups(c, "en", 4, 0.3)
    sc = cvv()
    scs = rng.choice([speak(sc, "en"), sc, " ".join(sc)])
    turns = ["agent: thanks for holding can i take the long number across the front of the card",
             "caller: uh yeah hold on um its " + sp,
             "agent: lovely and the three digit security code on the back",
             "caller: uh " + scs + " i think yeah " + scs]
    return "en", turns, [("cardNumber", sp), ("securityCode", scs)]


def en_fwd_email():
    f, l = person("en")
    em = email("en", f, l)
    ib = fmt_iban(iban("GB"), "grp")
    ph = phone("UK")
    inv = "INV-%05d" % rng.randint(10000, 99999)
    body = ("---------- Forwarded message ---------\n"
            "From: {F} {L} <{em}>\n"
            "Date: Tue, 4 Jun 2024 at 09:12\n"
            "Subject: Re: refund for {inv}\n"
            "To: support@shopfront.example\n\n"
            "Hi,\nplease refund the £129.00 to my account below, IBAN {ib}.\n"
            "Cheers\n{F}\n\n--\n{F} {L}\nM: {ph}\nSent from my iPhone").format(
        F=f.title(), L=l.title(), em=em, inv=inv, ib=ib, ph=ph)
    turns = ["fyi see below, can someone action", body]
    return "en", turns, [("email", em), ("iban", ib), ("phone", ph)]


def en_wrapup():
    n = fmt_nino(nino(), rng.random() < 0.5)
    ib = fmt_iban(iban("GB"), rng.choice(["grp", "compact"]))
    ph = phone("UK")
    note = ("cx called re dbl charge on ord {o}. ID&V passed (NINO {n}). upd bank dets -> {ib}. "
            "adv refund 3-5 wd. cb req'd on {ph} after 3pm. tkt INC{t}").format(
        o=rng.randint(100000, 999999), n=n, ib=ib, ph=ph, t=digits(7))
    return "en", [note], [("nationalID", n), ("iban", ib), ("phone", ph)]


def en_spoken_email_phone():
    f, l = person("en")
    dom = rng.choice(["gmail", "hotmail", "outlook", "yahoo"])
    se = "{} dot {} at {} dot com".format(f, l, dom)
    num = "07" + rng.choice(["700", "911", "824"]) + digits(6)
    sp = speak(num, "en", oh=True)
    turns = ["agent: whats the best email for you",
             "caller: yeah its uh " + se + " all lowercase",
             "agent: and a contact number",
             "caller: hum " + sp + " thats my mobile"]
    return "en", turns, [("email", se), ("phone", sp)]


def en_amex_chat():
    c = card("amex")
    fc = fmt_card(c, rng.choice(["sp", "none"]))
    cid = cvv(4)
    turns = ["using my amex this time", fc, "4 digit code on the front is " + cid,
             "order total was $318.40 btw"]
    return "en", turns, [("cardNumber", fc), ("securityCode", cid)]


def en_lower_iban():
    cc = rng.choice(["NL", "DE", "BE", "FR"])
    ib = fmt_iban(iban(cc), rng.choice(["lower", "compact"]))
    turns = ["pls send the refund to my iban " + ib + " thx", "ok noted will take 5-7 days",
             "cool ty 🙏"]
    return "en", turns, [("iban", ib)]


def en_quoted_reply():
    f, l = person("en")
    em = email("en", f, l)
    ph = phone(rng.choice(["UK", "IT", "DE"]))
    body = ("Thanks Sarah, that's sorted now.\n\n"
            "> On Mon, 3 Jun 2024 at 14:05, {F} {L} <{em}> wrote:\n"
            "> hi, still waiting on ticket #58213, can you call me on {ph}?\n"
            "> thx").format(F=f.title(), L=l.title(), em=em, ph=ph)
    return "en", [body], [("email", em), ("phone", ph)]


def en_chat_nino_phone():
    n = fmt_nino(nino(), True).lower() if rng.random() < 0.3 else fmt_nino(nino(), rng.random() < 0.5)
    ph = phone("UK", rng.choice([0, 3]))
    turns = ["hi need to update my details for the pension thing", "ni number " + n,
             "and new mob " + ph + " ta"]
    return "en", turns, [("nationalID", n), ("phone", ph)]


def en_card_dictated_mixed():
    c = card("visa")
    fc = c[:4] + " " + c[4:8] + " " + c[8:12] + " " + c[12:]
    sc = cvv()
    scs = speak(sc, "en")
    turns = ["caller: the card is " + fc + " expiry oh nine twenty seven",
             "agent: and the cvv",
             "caller: " + scs]
    return "en", turns, [("cardNumber", fc), ("securityCode", scs)]


# ---------- Portuguese, positive
def pt_chat_card():
    c = card()
    fc = fmt_card(c)
    sc = cvv(4 if len(c) == 15 else 3)
    cv = rng.choice(["cvv {}", "código de segurança: {}", "o cvc é {}", "cod seg {} 😬"]).format(sc)
    turns = [rng.choice(["boa tarde preciso de atualizar o cartão 🙏", "olá queria pagar a fatura com outro cartao",
                         "oi o cartão antigo foi cancelado"]),
             "{} validade {}".format(fc, exp()), cv]
    return "pt", turns, [("cardNumber", fc), ("securityCode", sc)]


def pt_transcript_nif():
    n = nif()
    how = rng.random()
    if how < 0.4:
        sp = speak(n, "pt")
    elif how < 0.7:
        sp = n[:3] + " " + n[3:6] + " " + n[6:]
    else:
        sp = speak(n[:3], "pt") + " " + n[3:]
    turns = ["operador: para confirmar preciso do seu número de contribuinte",
             "cliente: hum tipo é o " + sp + " acho eu",
             "operador: obrigado e a morada é a mesma",
             "cliente: sim sim rua das flores número doze"]
    return "pt", turns, [("nationalID", sp)]


def pt_wrapup():
    ib = fmt_iban(iban("PT"), rng.choice(["grp", "compact"]))
    n = nif()
    ph = phone("PT")
    note = ("Cli. ligou p/ alterar IBAN p/ {ib}. NIF {n} valid. Tlm {ph}. Enc. nº {o} ({a}€) "
            "reembolso em 5 d.u. Fechado.").format(ib=ib, n=n, ph=ph, o="EN" + digits(8), a=amount_eu())
    return "pt", [note], [("iban", ib), ("nationalID", n), ("phone", ph)]


def pt_fwd_email():
    f, l = person("pt")
    em = email("pt", f, l)
    ph = phone("PT", rng.choice([1, 2]))
    n = nif()
    body = ("---------- Mensagem encaminhada ---------\n"
            "De: {F} {L} <{em}>\n"
            "Data: sexta, 7/06/2024 às 18:22\n"
            "Assunto: fatura em nome errado\n\n"
            "Boa tarde,\na fatura FT 2024/{ft} saiu sem contribuinte, o meu NIF é {n}. "
            "Podem reemitir?\n\nCumprimentos,\n{F} {L}\nTlm.: {ph}").format(
        F=f.title(), L=l.title(), em=em, n=n, ph=ph, ft=rng.randint(1000, 99999))
    return "pt", ["encaminho p/ tratarem pf", body], [("email", em), ("nationalID", n), ("phone", ph)]


def pt_split_iban():
    ib = iban("PT")
    g = [ib[k:k + 4] for k in range(0, len(ib), 4)]
    a, b = " ".join(g[:3]), " ".join(g[3:])
    turns = ["o iban é", a, b, "confirma se chegou tudo 😅"]
    return "pt", turns, [("iban", a + "\n" + b)]


def pt_transcript_card():
    c = card(rng.choice(["visa", "mc"]))
    sp = speak(c, "pt", mix=0.15)
    sc = cvv()
    scs = speak(sc, "pt")
    turns = ["operador: diga-me o número do cartão por favor",
             "cliente: então é tipo " + sp,
             "operador: e os três dígitos atrás",
             "cliente: hum " + scs]
    return "pt", turns, [("cardNumber", sp), ("securityCode", scs)]


def pt_spoken_email():
    f, l = person("pt")
    dom = rng.choice(["gmail ponto com", "sapo ponto pt", "hotmail ponto com"])
    se = "{} ponto {} arroba {}".format(f, l, dom)
    ph = raw_phone("PT")
    sp = speak(ph, "pt", mix=0.2)
    turns = ["cliente: o email é " + se + " tudo junto",
             "operador: e o telemóvel", "cliente: é o " + sp]
    return "pt", turns, [("email", se), ("phone", sp)]


def pt_chat_nif_messy():
    n = nif()
    ph = phone("PT", 0)
    turns = ["boa noite!! esqueci de pôr o nif na compra", "nif " + n + " pf 😊",
             "e se precisarem liguem p/ " + ph, "compra foi de 23,90€ dia 12/05"]
    return "pt", turns, [("nationalID", n), ("phone", ph)]


def pt_email_card_reply():
    c = card()
    fc = fmt_card(c, "sp")
    sc = cvv(4 if len(c) == 15 else 3)
    em = email("pt")
    body = ("Olá,\n\nsegue o cartão p/ a renovação anual: {fc}, val. {e}, CVV {sc}.\n\n"
            "Obrigado\n\n> Em 02/06/2024, apoio@loja.example escreveu:\n"
            "> Caro cliente, a renovação de 59,00€ falhou. Responda para {em}").format(
        fc=fc, e=exp(), sc=sc, em=em)
    return "pt", [body], [("cardNumber", fc), ("securityCode", sc), ("email", em)]


def pt_iban_foreign():
    cc = rng.choice(["ES", "FR", "IT", "BE"])
    ib = fmt_iban(iban(cc), "grp")
    turns = ["vivo em " + {"ES": "madrid", "FR": "lyon", "IT": "milão", "BE": "bruxelas"}[cc] +
             " agora, dá p/ transferir p/ conta de lá?", "sim, indique o iban", ib]
    return "pt", turns, [("iban", ib)]


# ---------- Spanish
def es_chat_dni_phone():
    d = dni() if rng.random() < 0.6 else nie()
    if rng.random() < 0.3 and d[0].isdigit():
        d = d[:8] + "-" + d[8]
    ph = phone("ES")
    turns = ["holaa buenas!!", "mi dni es " + d + " y el móvil " + ph, "gracias 😊"]
    return "es", turns, [("nationalID", d), ("phone", ph)]


def es_email_iban():
    f, l = person("es")
    em = email("es", f, l)
    ib = fmt_iban(iban("ES"), "grp")
    body = ("Buenos días:\n\nLes adjunto mis datos para la domiciliación. IBAN: {ib}\n"
            "El recibo de 45,30 € del 01/06 me lo cobraron dos veces.\n\nUn saludo,\n{F} {L}\n{em}").format(
        ib=ib, F=f.title(), L=l.title(), em=em)
    return "es", [body], [("iban", ib), ("email", em)]


def es_transcript_card():
    c = card(rng.choice(["visa", "mc"]))
    sp = speak_groups(c, "es", 4, 0.35)
    sc = cvv()
    turns = ["agente: me dice el número de la tarjeta",
             "cliente: eh sí es el " + sp,
             "agente: y el código de seguridad", "cliente: " + sc + " vale"]
    return "es", turns, [("cardNumber", sp), ("securityCode", sc)]


def es_spoken_phone():
    n = raw_phone("ES")
    sp = speak(n, "es")
    turns = ["cliente: pues mi teléfono es el " + sp + " eh por las tardes mejor"]
    return "es", turns, [("phone", sp)]


# ---------- French
def fr_email_rib():
    f, l = person("fr")
    em = email("fr", f, l)
    ib = fmt_iban(iban("FR"), "grp")
    ph = phone("FR")
    body = ("Bonjour,\n\nVoici mon RIB pour le remboursement de 89,90 € : IBAN {ib}\n\n"
            "Cordialement,\n{F} {L}\nTél. : {ph}\n{em}").format(
        ib=ib, F=f.title(), L=l.title(), ph=ph, em=em)
    return "fr", [body], [("iban", ib), ("phone", ph), ("email", em)]


def fr_chat_nir():
    n = fmt_nir(nir(), rng.random() < 0.6)
    turns = ["slt jdois mettre mon num de secu ou?", "vous pouvez l'écrire ici",
             "ok c " + n + " merci"]
    return "fr", turns, [("nationalID", n)]


def fr_transcript_phone_card():
    p = raw_phone("FR")
    sp = speak("0" + p if p[0] != "0" else p, "fr")
    c = card("visa")
    fc = fmt_card(c, "sp")
    sc = cvv()
    turns = ["client: euh mon portable c'est le " + sp,
             "conseiller: et la carte", "client: " + fc + " cryptogramme " + sc]
    return "fr", turns, [("phone", sp), ("cardNumber", fc), ("securityCode", sc)]


# ---------- German
def de_email():
    f, l = person("de")
    em = email("de", f, l)
    ib = fmt_iban(iban("DE"), "grp")
    s = fmt_sid(steuer_id(), rng.random() < 0.5)
    ph = phone("DE")
    body = ("Sehr geehrte Damen und Herren,\n\nanbei meine Daten: IBAN {ib}, Steuer-ID {s}.\n"
            "Rechnung Nr. 2024-{r} über 1.299,00 EUR.\n\nMit freundlichen Grüßen\n{F} {L}\n"
            "Mobil: {ph}\nE-Mail: {em}").format(ib=ib, s=s, ph=ph, em=em, F=f.title(), L=l.title(),
                                                r=rng.randint(1000, 9999))
    return "de", [body], [("iban", ib), ("nationalID", s), ("phone", ph), ("email", em)]


def de_chat():
    s = fmt_sid(steuer_id(), rng.random() < 0.5)
    ph = phone("DE", rng.choice([0, 3]))
    c = card("mc")
    fc = fmt_card(c, "sp")
    sc = cvv()
    turns = ["hi, meine steuer id: " + s, "handy " + ph,
             "karte " + fc + " prüfnummer " + sc + " 👍"]
    return "de", turns, [("nationalID", s), ("phone", ph), ("cardNumber", fc), ("securityCode", sc)]


# ---------- Italian
def it_chat_cf():
    cf = codice_fiscale()
    if rng.random() < 0.3:
        cf = cf.lower()
    ph = phone("IT")
    turns = ["ciao! il mio cf è " + cf, "cell " + ph + " grazie mille 😊"]
    return "it", turns, [("nationalID", cf), ("phone", ph)]


def it_email_iban():
    f, l = person("it")
    em = email("it", f, l)
    ib = fmt_iban(iban("IT"), "grp")
    cf = codice_fiscale()
    body = ("Buongiorno,\nvi invio l'IBAN per il rimborso dell'ordine n. {o}: {ib}\n"
            "Codice fiscale intestatario: {cf}\n\nCordiali saluti\n{F} {L}\n{em}").format(
        o=rng.randint(100000, 999999), ib=ib, cf=cf, F=f.title(), L=l.title(), em=em)
    return "it", [body], [("iban", ib), ("nationalID", cf), ("email", em)]


def it_transcript():
    n = raw_phone("IT")
    sp = speak(n, "it", mix=0.1)
    c = card(rng.choice(["visa", "mc"]))
    fc = fmt_card(c, "sp")
    sc = cvv()
    turns = ["cliente: allora il numero è " + sp,
             "operatore: e la carta", "cliente: eh " + fc + " codice di sicurezza " + speak(sc, "it")]
    return "it", turns, [("phone", sp), ("cardNumber", fc), ("securityCode", speak_fix(turns[-1]))]


def speak_fix(turn):
    return turn.split("codice di sicurezza ", 1)[1]


# ================================================================ negatives
def neg_en_order():
    b = bad_card()
    return "en", ["where is my order #" + b + " ?? placed " + date_eu() + " paid $1,249.99 😡",
                  "sorry for the delay, it ships tomorrow"], []


def neg_en_tracking():
    return "en", ["tracking no 1Z" + digits(2) + "E" + digits(13) + " est delivery 14:30-16:00",
                  "postcode is SW1A 1AA flat 4"], []


def neg_en_version():
    return "en", ["app v%d.%d.%d keeps crashing on login, build %d.%d, ios 17.4.1" % (
        rng.randint(2, 9), rng.randint(0, 20), rng.randint(0, 9), rng.randint(2300, 2412), rng.randint(1000, 9999)),
        "pls fix asap"], []


def neg_en_quantities():
    return "en", ["caller: uh we need like twenty three boxes and um four hundred and fifty units by the fifteenth",
                  "agent: okay so four five zero units yeah"], []


def neg_en_last4():
    return "en", ["i got charged twice on my card ending %s for £%d.%02d on %02d/06" % (
        digits(4), rng.randint(10, 300), rng.randint(0, 99), rng.randint(1, 28)), "can u refund one"], []


def neg_en_bad_iban():
    return "en", ["is this iban right? " + fmt_iban(bad_iban(rng.choice(["GB", "NL", "DE"])), "grp") +
                  " my bank says its invalid 🤔"], []


def neg_en_ip():
    return "en", ["error 0x80070005 when connecting to 192.168.%d.%d port 8443, ticket CS-%d" % (
        rng.randint(0, 9), rng.randint(2, 254), rng.randint(10000, 99999))], []


def neg_en_wrapup():
    return "en", ["cx chasing refund ref RF-%d; adv 5-7 wd; no ID&V req'd; sla 48h; closed @ 16:42" %
                  rng.randint(10000, 99999)], []


def neg_en_bad_nino():
    return "en", ["the form example says NI no like " + fmt_nino(nino(False), True) + " is that mine??"], []


def neg_en_serial():
    return "en", ["serial SN-%s-%s-%s, ISBN 978-0-306-40615-7, qty 12" % (digits(4), digits(4), digits(4))], []


def neg_en_meeting():
    return "en", ["caller: so the engineer comes on the twenty first at three thirty pm",
                  "caller: and it was like a hundred and twenty nine ninety nine"], []


def neg_en_room():
    return "en", ["room %d floor 3 ext %d, the code for the door is the date lol" % (
        rng.randint(100, 999), rng.randint(1000, 9999))], []


def neg_en_bad_card_dictated():
    b = bad_card()
    return "en", ["agent: that card number " + fmt_card(b, "sp") + " came back as invalid can you check",
                  "caller: oh hang on let me find it"], []


def neg_pt_invoice():
    return "pt", ["a fatura nº FT 2024/%d no valor de %s € vence a %s" % (
        rng.randint(1000, 99999), amount_eu(), date_eu())], []


def neg_pt_address():
    return "pt", ["código postal %d-%03d Lisboa, porta %d, %dº esq" % (
        rng.randint(1000, 4999), rng.randint(0, 999), rng.randint(1, 200), rng.randint(1, 9))], []


def neg_pt_spoken_amount():
    return "pt", ["cliente: hum tipo são mil duzentos e trinta euros e tal pago em três prestações",
                  "operador: certo dia quinze de março"], []


def neg_pt_bad_nif():
    return "pt", ["o nif " + nif(False) + " dá erro no portal das finanças, será que me enganei?"], []


def neg_pt_process():
    return "pt", ["cliente: o número do processo é dois zero dois quatro barra um um oito sete",
                  "operador: ok e a encomenda chega dia vinte"], []


def neg_pt_tracking():
    return "pt", ["a encomenda CTT RR%sPT ainda não chegou 😤" % digits(9),
                  "ref. multibanco: entidade 11249 ref. %s %s %s valor 37,50€" % (rng.choice("047") + digits(2), digits(3), digits(3))], []


def neg_pt_bad_card():
    return "pt", ["o cartão " + fmt_card(bad_card(), "sp") + " foi recusado, diz número inválido"], []


def neg_es_order():
    return "es", ["pedido nº %d enviado a %05d Madrid, importe 59,90 €, llega el %s" % (
        rng.randint(1000000, 9999999), rng.randint(28001, 28055), date_eu())], []


def neg_es_bad_dni():
    return "es", ["el dni " + dni(False) + " me lo rechaza la web, qué hago"], []


def neg_fr_order():
    return "fr", ["commande n° %d, livraison le %02d/09 entre 8h et 12h, code postal 75008" % (
        rng.randint(10000000, 99999999), rng.randint(1, 28))], []


def neg_fr_bad_nir():
    return "fr", ["le site refuse mon numéro " + fmt_nir(nir(False), True) + " bizarre"], []


def neg_de_invoice():
    return "de", ["Rechnungsnr. RE-2024-%05d, Betrag 1.499,00 EUR, fällig am 30.06.2024, PLZ 10115 Berlin" %
                  rng.randint(1, 99999)], []


def neg_de_bad_sid():
    return "de", ["die id " + fmt_sid(steuer_id(False), False) + " wird als ungültig angezeigt"], []


def neg_it_order():
    return "it", ["ordine n. %d spedito il %s, CAP 20121 Milano, totale € 249,00" % (
        rng.randint(100000, 999999), date_eu())], []


def neg_it_bad_cf():
    return "it", ["il portale dice che il cf " + codice_fiscale(False) + " non è valido"], []


def neg_it_bad_iban():
    return "it", ["l'iban " + fmt_iban(bad_iban("IT"), "grp") + " risulta errato, me lo ricontrolli?"], []


POS = [en_chat_card, en_chat_card_split, en_transcript_card, en_fwd_email, en_wrapup,
       en_spoken_email_phone, en_amex_chat, en_lower_iban, en_quoted_reply, en_chat_nino_phone,
       en_card_dictated_mixed,
       pt_chat_card, pt_transcript_nif, pt_wrapup, pt_fwd_email, pt_split_iban, pt_transcript_card,
       pt_spoken_email, pt_chat_nif_messy, pt_email_card_reply, pt_iban_foreign,
       es_chat_dni_phone, es_email_iban, es_transcript_card, es_spoken_phone,
       fr_email_rib, fr_chat_nir, fr_transcript_phone_card,
       de_email, de_chat, it_chat_cf, it_email_iban, it_transcript]
# templates run twice (the rest once)
POS_TWICE = {en_chat_card, en_transcript_card, en_wrapup, en_fwd_email, en_chat_nino_phone,
             pt_chat_card, pt_transcript_nif, pt_wrapup, pt_fwd_email, pt_transcript_card,
             pt_spoken_email, pt_chat_nif_messy, es_chat_dni_phone, fr_chat_nir, de_email,
             it_chat_cf, en_lower_iban, pt_iban_foreign, en_amex_chat, de_chat,
             en_chat_card_split, pt_split_iban, es_email_iban, fr_email_rib, it_email_iban,
             es_transcript_card, en_quoted_reply, en_spoken_email_phone, fr_transcript_phone_card}
NEG = [neg_en_order, neg_en_tracking, neg_en_version, neg_en_quantities, neg_en_last4,
       neg_en_bad_iban, neg_en_ip, neg_en_wrapup, neg_en_bad_nino, neg_en_serial, neg_en_meeting,
       neg_en_room, neg_en_bad_card_dictated,
       neg_pt_invoice, neg_pt_address, neg_pt_spoken_amount, neg_pt_bad_nif, neg_pt_process,
       neg_pt_tracking, neg_pt_bad_card,
       neg_es_order, neg_es_bad_dni, neg_fr_order, neg_fr_bad_nir, neg_de_invoice, neg_de_bad_sid,
       neg_it_order, neg_it_bad_cf, neg_it_bad_iban]
NEG_TWICE = {neg_en_order, neg_en_bad_iban, neg_pt_bad_nif, neg_pt_invoice, neg_en_bad_card_dictated,
             neg_es_bad_dni, neg_pt_bad_card, neg_pt_tracking, neg_en_last4}


def main():
    jobs = []
    for t in POS:
        jobs += [t] * (2 if t in POS_TWICE else 1)
    for t in NEG:
        jobs += [t] * (2 if t in NEG_TWICE else 1)
    rng.shuffle(jobs)
    out, counts = [], {}
    for i, t in enumerate(jobs, 1):
        lang, turns, ents = t()
        joined = "\n".join(turns)
        for k, txt in ents:
            assert txt in joined, (t.__name__, k, txt)
            counts[k] = counts.get(k, 0) + 1
        out.append({"id": "k%03d" % i, "lang": lang, "turns": turns,
                    "entities": [{"kind": k, "text": x} for k, x in ents]})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout2.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for o in out:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    neg = sum(1 for o in out if not o["entities"])
    print("samples", len(out), "negatives", neg, "entities", dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
