"""Writes corpus.jsonl: labeled contact-center text for measuring the redactor.

Each line is {"id", "lang", "turns": [...], "entities": [{"kind", "text"}]} where
each entity's text occurs in the turns joined by a newline (a value read across
two turns has the newline in it). Numbers carry valid check digits, made here;
the negatives (order numbers, dates, amounts, times) are what a redactor must
leave alone. Seeded: running it again writes the same file.

    python3 Tests/RedactionCorpus/make_corpus.py > Tests/RedactionCorpus/corpus.jsonl
"""

import json
import random

rng = random.Random(20261204)

EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
PT = ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"]


def luhn_complete(prefix, length):
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for i, d in enumerate(reversed(candidate)):
            v = int(d)
            if i % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        if total % 10 == 0:
            return candidate


def card():
    kind = rng.choice(["visa", "mc", "amex"])
    if kind == "visa":
        return luhn_complete("4", 16)
    if kind == "mc":
        return luhn_complete(rng.choice(["51", "52", "53", "54", "55"]), 16)
    return luhn_complete(rng.choice(["34", "37"]), 15)


def grouped(number, size=4):
    return " ".join(number[i:i + size] for i in range(0, len(number), size))


def spoken(number, words):
    return " ".join(words[int(d)] for d in number)


def iban(country, length):
    body = "".join(str(rng.randint(0, 9)) for _ in range(length - 4))
    rearranged = body + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{body}"


def nif():
    while True:
        base = str(rng.choice([1, 2, 3, 5])) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        total = sum(int(d) * (9 - i) for i, d in enumerate(base))
        check = 11 - total % 11
        return base + str(0 if check >= 10 else check)


def dni():
    number = rng.randint(10000000, 99999999)
    return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"


def nie():
    prefix = rng.choice("XYZ")
    number = rng.randint(1000000, 9999999)
    value = int(str("XYZ".index(prefix)) + str(number))
    return f"{prefix}{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[value % 23]}"


def nir():
    base = f"{rng.choice([1, 2])}{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    return base + f"{97 - int(base) % 97:02d}"


def steuer_id():
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(9)]
        product = 10
        for d in digits:
            s = (d + product) % 10
            if s == 0:
                s = 10
            product = (s * 2) % 11
        check = 11 - product
        return "".join(map(str, digits)) + str(0 if check == 10 else check)


ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def codice_fiscale():
    letters = "BCDFGHLMNPRSTVZ"
    body = "".join(rng.choice(letters) for _ in range(6)) + f"{rng.randint(40, 99)}" + rng.choice("ABCDEHLMPRST") \
        + f"{rng.randint(1, 71):02d}" + rng.choice("ABCDEFGHLM") + f"{rng.randint(100, 999)}"
    total = 0
    for i, c in enumerate(body):
        v = ord(c) - 65 if c.isalpha() else int(c)
        total += ODD[v] if i % 2 == 0 else v
    return body + chr(65 + total % 26)


def nino():
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        second = "A"
    return f"{first}{second}{rng.randint(100000, 999999)}{rng.choice('ABCD')}"


def pt_mobile():
    return "9" + rng.choice("1236") + "".join(str(rng.randint(0, 9)) for _ in range(7))


def pt_spaced(number):
    return f"{number[0:3]} {number[3:6]} {number[6:9]}"


names = ["Ana Silva", "Rui Costa", "Joana Pereira", "Marco Rossi", "Claire Martin", "Jonas Becker", "Lucía García", "Tom Hughes"]
emails = ["ana.silva@example.pt", "rui_costa82@mail.example.com", "joana.p+orders@example.org", "m.rossi@example.it",
          "claire.martin@example.fr", "j.becker@example.de", "lucia.garcia@example.es", "tom.hughes@example.co.uk"]

cases = []


def add(lang, turns, entities):
    joined = "\n".join(turns)
    for e in entities:
        assert e["text"] in joined, (e, joined)
    cases.append({"id": f"c{len(cases) + 1:03d}", "lang": lang, "turns": turns, "entities": entities})


for _ in range(6):
    c = card()
    add("en", [f"Customer paid with card {grouped(c)} and the CVV is {rng.randint(100, 999)}."],
        [])
    cvv = cases[-1]["turns"][0].split("CVV is ")[1].rstrip(".")
    cases[-1]["entities"] = [{"kind": "cardNumber", "text": grouped(c)}, {"kind": "securityCode", "text": cvv}]

for _ in range(4):
    c = card()
    cvv = str(rng.randint(100, 999))
    add("pt", [f"O cliente deu o cartão {c}, código de segurança {cvv}, validade 09/28."],
        [{"kind": "cardNumber", "text": c}, {"kind": "securityCode", "text": cvv}])

for _ in range(4):
    c = luhn_complete("4", 16)
    cvv = str(rng.randint(100, 999))
    add("en", ["Agent: Can you read me the long number on the front of the card?",
               f"Customer: {spoken(c[:8], EN)}",
               f"{spoken(c[8:], EN)}",
               "Agent: Thank you. And the three digits on the back?",
               f"Customer: {spoken(cvv, EN)}"],
        [{"kind": "cardNumber", "text": f"{spoken(c[:8], EN)}\n{spoken(c[8:], EN)}"},
         {"kind": "securityCode", "text": spoken(cvv, EN)}])

for _ in range(4):
    c = luhn_complete(rng.choice(["4", "51", "55"]), 16)
    cvv = str(rng.randint(100, 999))
    add("pt", ["Agente: Pode ler-me o número do cartão, por favor?",
               f"Cliente: {spoken(c, PT)}",
               "Agente: Obrigado. E o código de segurança no verso?",
               f"Cliente: é {spoken(cvv, PT)}"],
        [{"kind": "cardNumber", "text": spoken(c, PT)}, {"kind": "securityCode", "text": spoken(cvv, PT)}])

for _ in range(3):
    c = card()
    first, second = grouped(c)[:9], grouped(c)[10:]
    add("en", ["Customer: my card is " + first, second + " expiring next year"],
        [{"kind": "cardNumber", "text": first + "\n" + second}])

for _ in range(3):
    c = card()
    add("en", [f"Refund to card ending {c[-4:]} requested; full number {c} noted by mistake."],
        [{"kind": "cardNumber", "text": c}])

for country, length in [("PT", 25), ("ES", 24), ("FR", 27), ("DE", 22), ("IT", 27), ("GB", 22)]:
    number = iban(country, length) if country != "IT" else None
    if country == "IT":
        body = "X" + "".join(str(rng.randint(0, 9)) for _ in range(22))
        rearranged = body + "IT00"
        check = 98 - int("".join(str(int(ch, 36)) for ch in rearranged)) % 97
        number = f"IT{check:02d}{body}"
    if country == "GB":
        body = "NWBK" + "".join(str(rng.randint(0, 9)) for _ in range(14))
        check = 98 - int("".join(str(int(ch, 36)) for ch in body + "GB00")) % 97
        number = f"GB{check:02d}{body}"
    add("en", [f"Please send the refund to IBAN {grouped(number)} today."], [{"kind": "iban", "text": grouped(number)}])
    add("pt", [f"O IBAN para a devolução é {number}."], [{"kind": "iban", "text": number}])

for name, email in zip(names, emails):
    add("en", [f"{name} asked us to write to {email} from now on."], [{"kind": "email", "text": email}])

add("en", ["Customer: my email is ana dot silva at example dot com"], [{"kind": "email", "text": "ana dot silva at example dot com"}])
add("pt", ["Cliente: o meu email é rui ponto costa arroba exemplo ponto pt"], [{"kind": "email", "text": "rui ponto costa arroba exemplo ponto pt"}])
add("en", ["Send it to joana at mail dot example dot org please"], [{"kind": "email", "text": "joana at mail dot example dot org"}])

for _ in range(5):
    m = pt_mobile()
    add("pt", [f"Ligar ao cliente para o {pt_spaced(m)} depois das 18h."], [{"kind": "phone", "text": pt_spaced(m)}])
for _ in range(3):
    m = pt_mobile()
    add("en", [f"Caller asked to be reached on +351 {pt_spaced(m)} tomorrow."], [{"kind": "phone", "text": f"+351 {pt_spaced(m)}"}])
for _ in range(3):
    m = pt_mobile()
    add("pt", ["Agente: qual é o seu número de telemóvel?", f"Cliente: {spoken(m, PT)}"], [{"kind": "phone", "text": spoken(m, PT)}])
for _ in range(2):
    m = pt_mobile()
    add("en", ["Agent: What's the best number to call you back?", f"Customer: {spoken(m, EN)}"], [{"kind": "phone", "text": spoken(m, EN)}])
add("en", ["Her French mobile is 06 12 34 56 78 and she prefers mornings."], [{"kind": "phone", "text": "06 12 34 56 78"}])
add("en", ["UK landline 020 7946 0958, ask for accounts."], [{"kind": "phone", "text": "020 7946 0958"}])
add("en", ["Call the Italian office at 347 123 4567."], [{"kind": "phone", "text": "347 123 4567"}])
add("en", ["Dialled 0033 1 42 68 53 00 from abroad."], [{"kind": "phone", "text": "0033 1 42 68 53 00"}])

for _ in range(3):
    n = nif()
    add("pt", [f"NIF do cliente: {n}. Fatura emitida."], [{"kind": "nationalID", "text": n}])
for _ in range(2):
    n = nif()
    add("pt", ["Agente: pode indicar o seu número de contribuinte?", f"Cliente: {spoken(n, PT)}"], [{"kind": "nationalID", "text": spoken(n, PT)}])
for _ in range(3):
    d = dni()
    add("es", [f"El cliente se identificó con el DNI {d}."], [{"kind": "nationalID", "text": d}])
for _ in range(2):
    n = nie()
    add("es", [f"NIE {n[0]}-{n[1:8]}-{n[8]} verificado."], [{"kind": "nationalID", "text": f"{n[0]}-{n[1:8]}-{n[8]}"}])
for _ in range(3):
    n = nir()
    spaced = f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:15]}"
    add("fr", [f"Numéro de sécurité sociale {spaced} transmis."], [{"kind": "nationalID", "text": spaced}])
for _ in range(3):
    s = steuer_id()
    add("de", [f"Steuer-ID {s} liegt vor."], [{"kind": "nationalID", "text": s}])
for _ in range(3):
    cf = codice_fiscale()
    add("it", [f"Codice fiscale {cf} confermato dal cliente."], [{"kind": "nationalID", "text": cf}])
for _ in range(3):
    n = nino()
    spaced = f"{n[0:2]} {n[2:4]} {n[4:6]} {n[6:8]} {n[8]}"
    add("en", [f"National Insurance number {spaced} on file."], [{"kind": "nationalID", "text": spaced}])

# What must stay: order numbers, amounts, dates, times, counts, reference codes.
negatives = [
    "Order 48213 shipped on 12/05/2024 at 14:30, total 129.90 EUR.",
    "Ticket #20931: customer waited 25 minutes in queue 3.",
    "Encomenda 552341 entregue a 3 de março; valor 45,50 euros.",
    "Invoice INV-2024-00871 for 3 items, paid 2 days late.",
    "The customer called 4 times about plan B2 and asked for one moment twice.",
    "Agent: one moment please. Customer: sure, two minutes is fine.",
    "Cliente pediu uma segunda via da fatura de 2023 e dois recibos.",
    "Reference ABC123456 is the parcel tracking code from the carrier.",
    "Meeting room 1204, floor 12, building 3, at 09:15.",
    "Model number 2024-XL-550 replaced under warranty for 180 days.",
    "The code for the promotion is SUMMER24, valid until 31/08.",
    "Customer rated the call 4 out of 5 and mentioned 3 issues.",
    "Contract 2023/118 renewed for 24 months at 19.99 per month.",
    "Recebeu 3 chamadas entre as 10:00 e as 11:30 de dia 4.",
    "Batch 100234 processed: 1520 records, 3 rejected.",
    "Queue 7 had 42 calls waiting at 16:05.",
    "He said the wifi password has 12 characters and 3 numbers.",
    "Version 10.4.2 of the app fixed the login loop.",
    "Postcode 1200-195 Lisboa, door 4B.",
    "Session lasted 1 h 12 min; 2 transfers; NPS 9.",
]
for text in negatives:
    add("en", [text], [])

for case in cases:
    print(json.dumps(case, ensure_ascii=False))
