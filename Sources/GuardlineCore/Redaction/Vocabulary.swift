/// The words the redactor listens for, in English and Portuguese: digits read aloud,
/// and what people say just before a number that tells what the number is.
enum Vocabulary {
    /// Digits as an agent or a caller reads them out ("four five three two", "nove um dois").
    static let digits: [String: UInt8] = [
        "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "meia": 6,
        "sete": 7, "oito": 8, "nove": 9,
    ]

    /// "double five", "triple zero".
    static let repeats: [String: Int] = ["double": 2, "triple": 3]

    /// Before a card's security code, or in the question it answers.
    static let securityCode: Set<String> = [
        "cvv", "cvc", "cv2", "cvv2", "cid", "security", "segurança", "seguranca", "verification", "verificação", "verificacao",
        "digits", "dígitos", "digitos",
    ]

    /// Once a card was read out, "the code" is its security code.
    static let codeAfterCard: Set<String> = ["code", "código", "codigo", "pin"]

    static let phone: Set<String> = [
        "phone", "telephone", "mobile", "cell", "call", "tel", "number", "contact", "whatsapp", "sms", "landline",
        "telefone", "telemóvel", "telemovel", "número", "numero", "contacto", "ligar", "liga", "fixo",
    ]

    static let nationalID: Set<String> = [
        "nif", "contribuinte", "fiscal", "tax", "dni", "nie", "nir", "sécurité", "securite", "sociale", "steuer", "steuernummer",
        "identifikationsnummer", "codice", "nino", "insurance", "identification", "identificação", "identificacao", "passport",
        "passaporte", "cidadão", "cidadao",
    ]

    /// Said aloud in an address: "ana dot silva at gmail dot com".
    static let at: Set<String> = ["at", "arroba"]
    static let dot: Set<String> = ["dot", "ponto"]
    static let topLevelDomains: Set<String> = [
        "com", "pt", "org", "net", "eu", "es", "fr", "de", "it", "uk", "co", "io", "br", "info", "gov", "edu", "nl", "be", "ie",
    ]
}
