/// The words the redactor listens for, in English and Portuguese first, and Spanish,
/// French, German and Italian: digits read aloud, and what people say just before a
/// number that tells what the number is.
enum Vocabulary {
    /// Digits as an agent or a caller reads them out ("four five three two", "nove um dois").
    static let digits: [String: UInt8] = [
        "zero": 0, "oh": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "meia": 6,
        "sete": 7, "oito": 8, "nove": 9,
        "cero": 0, "uno": 1, "una": 1, "dos": 2, "cuatro": 4, "siete": 7, "ocho": 8, "nueve": 9,
        "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
        "null": 0, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
        "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    ]

    /// "double five", "triple zero".
    static let repeats: [String: Int] = ["double": 2, "triple": 3]

    /// Before a card's security code, or in the question it answers.
    static let securityCode: Set<String> = [
        "cvv", "cvc", "cv2", "cvv2", "cid", "csc", "security", "segurança", "seguranca", "verification", "verificação", "verificacao",
        "digits", "dígitos", "digitos", "seguridad", "cryptogramme", "chiffres", "crittogramma", "cifre", "prüfnummer", "prüfziffer",
        "kartenprüfnummer", "sicherheitscode",
    ]

    /// Once a card was read out, "the code" is its security code.
    static let codeAfterCard: Set<String> = ["code", "código", "codigo", "pin"]

    /// Words that name what follows as a reference of the business: an order, an invoice, a payment reference.
    static let reference: Set<String> = [
        "ref", "reference", "referência", "referencia", "entidade", "invoice", "order", "encomenda", "fatura", "factura",
        "pedido", "ticket", "booking", "reserva", "rechnung", "bestellung", "fattura", "ordine", "commande", "facture",
    ]

    static let phone: Set<String> = [
        // Not "number" or "número" alone: an order has one too.
        "phone", "telephone", "mobile", "cell", "call", "tel", "contact", "whatsapp", "sms", "landline",
        "telefone", "telemóvel", "telemovel", "contacto", "ligar", "liga", "fixo",
        "teléfono", "telefono", "móvil", "movil", "téléphone", "portable", "telefonnummer", "handy", "rückruf", "cellulare",
    ]

    static let nationalID: Set<String> = [
        "nif", "contribuinte", "fiscal", "tax", "dni", "nie", "nir", "sécurité", "securite", "sociale", "steuer", "steuernummer",
        "identifikationsnummer", "codice", "nino", "insurance", "identification", "identificação", "identificacao", "passport",
        "passaporte", "cidadão", "cidadao",
    ]

    /// Said aloud in an address: "ana dot silva at gmail dot com".
    static let at: Set<String> = ["at", "arroba", "arobase"]
    static let dot: Set<String> = ["dot", "ponto", "punto", "point", "punkt"]
    static let topLevelDomains: Set<String> = [
        "com", "pt", "org", "net", "eu", "es", "fr", "de", "it", "uk", "co", "io", "br", "info", "gov", "edu", "nl", "be", "ie",
    ]
}
