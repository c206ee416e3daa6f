/// Realistic but invented people from several EU countries, generated from a
/// fixed seed so every demo install holds the same contacts.
public struct DemoPeople {
    struct Country: Sendable {
        let code: String
        let domain: String
        let given: [String]
        let family: [String]
        let streets: [String]
        let cities: [(postcode: String, city: String)]
        /// National number patterns after the country code; `#` is a random digit.
        let mobile: String
        let addressFormat: @Sendable (String, Int, String, String) -> String
    }

    static let countries: [Country] = [
        Country(code: "351", domain: "example.pt",
                given: ["João", "Maria", "Ana", "Pedro", "Inês", "Tiago", "Beatriz", "Rui", "Sofia", "Miguel"],
                family: ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Gonçalves"],
                streets: ["Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Ouro", "Avenida dos Aliados"],
                cities: [("1100-053", "Lisboa"), ("4000-069", "Porto"), ("3000-214", "Coimbra"), ("4700-035", "Braga")],
                mobile: "9########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "34", domain: "example.es",
                given: ["Lucía", "Hugo", "Martina", "Pablo", "Carmen", "Javier", "Elena", "Diego", "Paula", "Álvaro"],
                family: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez"],
                streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Paseo de Gracia", "Calle Sierpes"],
                cities: [("28013", "Madrid"), ("08007", "Barcelona"), ("41004", "Sevilla"), ("46002", "Valencia")],
                mobile: "6########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "33", domain: "example.fr",
                given: ["Camille", "Louis", "Léa", "Gabriel", "Chloé", "Jules", "Manon", "Arthur", "Élise", "Théo"],
                family: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"],
                streets: ["rue de Rivoli", "boulevard Haussmann", "rue de la République", "avenue Jean Jaurès", "rue Nationale"],
                cities: [("75001", "Paris"), ("69002", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse")],
                mobile: "6########", addressFormat: { street, number, postcode, city in "\(number) \(street), \(postcode) \(city)" }),
        Country(code: "49", domain: "example.de",
                given: ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Sophie", "Leon", "Hannah"],
                family: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"],
                streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Goethestraße"],
                cities: [("10117", "Berlin"), ("80331", "München"), ("20095", "Hamburg"), ("50667", "Köln")],
                mobile: "151########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "39", domain: "example.it",
                given: ["Giulia", "Francesco", "Chiara", "Alessandro", "Sara", "Lorenzo", "Martina", "Matteo", "Giorgia", "Andrea"],
                family: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"],
                streets: ["Via Roma", "Corso Italia", "Via Garibaldi", "Via Dante", "Piazza Duomo"],
                cities: [("00184", "Roma"), ("20121", "Milano"), ("80138", "Napoli"), ("10121", "Torino")],
                mobile: "3#########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "31", domain: "example.nl",
                given: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sara", "Milan", "Anna"],
                family: ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"],
                streets: ["Kalverstraat", "Damrak", "Oudegracht", "Coolsingel", "Grote Markt"],
                cities: [("1012 NX", "Amsterdam"), ("3511 AL", "Utrecht"), ("3012 AA", "Rotterdam"), ("9711 LV", "Groningen")],
                mobile: "6########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "48", domain: "example.pl",
                given: ["Zofia", "Jakub", "Julia", "Antoni", "Zuzanna", "Jan", "Maja", "Szymon", "Hanna", "Filip"],
                family: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak"],
                streets: ["ulica Marszałkowska", "ulica Floriańska", "ulica Długa", "ulica Piotrkowska", "ulica Świętojańska"],
                cities: [("00-624", "Warszawa"), ("31-019", "Kraków"), ("80-831", "Gdańsk"), ("90-001", "Łódź")],
                mobile: "5########", addressFormat: { street, number, postcode, city in "\(street) \(number), \(postcode) \(city)" }),
        Country(code: "353", domain: "example.ie",
                given: ["Seán", "Aoife", "Conor", "Niamh", "Cian", "Saoirse", "Oisín", "Ciara", "Darragh", "Róisín"],
                family: ["Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill"],
                streets: ["Grafton Street", "O'Connell Street", "Patrick Street", "Shop Street", "Henry Street"],
                cities: [("D02 YX88", "Dublin"), ("T12 X70A", "Cork"), ("H91 E2K3", "Galway"), ("V94 T2Y7", "Limerick")],
                mobile: "8########", addressFormat: { street, number, postcode, city in "\(number) \(street), \(city) \(postcode)" }),
    ]

    /// A small deterministic generator (SplitMix64), so the demo is the same on every
    /// machine; the benchmarks draw their call sequences from it too.
    public struct Generator: RandomNumberGenerator {
        var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` people as contact field maps (name, phone, email, address, birthDate, language).
    public static func make(count: Int, seed: UInt64 = 2018_05_25) -> [[String: String]] {
        var random = Generator(state: seed)
        var seenPhones = Set<String>()
        var people: [[String: String]] = []
        while people.count < count {
            let country = countries.randomElement(using: &random)!
            let given = country.given.randomElement(using: &random)!
            let family = country.family.randomElement(using: &random)!
            let national = String(country.mobile.map { $0 == "#" ? Character(String(Int.random(in: 0...9, using: &random))) : $0 })
            let phone = "+\(country.code)\(national)"
            guard seenPhones.insert(phone).inserted else { continue }
            let place = country.cities.randomElement(using: &random)!
            let street = country.streets.randomElement(using: &random)!
            let number = Int.random(in: 1...240, using: &random)
            let local = asciiFold("\(given).\(family)").replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "'", with: "")
            let year = Int.random(in: 1940...2005, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...28, using: &random)
            people.append([
                "name": "\(given) \(family)",
                "phone": phone,
                "email": "\(local)\(people.count)@\(country.domain)",
                "address": country.addressFormat(street, number, place.postcode, place.city),
                "birthDate": "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)",
                "language": country.domain.split(separator: ".").last.map(String.init) ?? "en",
            ])
        }
        return people
    }

    static func asciiFold(_ text: String) -> String {
        let folded = text.applyingTransform(.stripDiacritics, reverse: false) ?? text
        return folded.replacingOccurrences(of: "ł", with: "l").replacingOccurrences(of: "Ł", with: "L").lowercased()
    }
}
