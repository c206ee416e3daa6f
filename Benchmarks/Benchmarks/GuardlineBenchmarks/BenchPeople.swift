import Foundation

/// Invented but realistic people from several EU countries, generated from a
/// fixed seed so every machine benchmarks the same 100,000 contacts.
enum BenchPeople {
    struct Person: Sendable {
        var name: String
        var phone: String
        var email: String
        var address: String
        var birthDate: String

        /// The field map `ContactDirectory.create` takes.
        var fields: [String: String] {
            ["name": name, "phone": phone, "email": email, "address": address, "birthDate": birthDate]
        }
    }

    struct Country: Sendable {
        let code: String
        let domain: String
        let given: [String]
        let family: [String]
        let streets: [String]
        let cities: [(postcode: String, city: String)]
        /// National number after the country code; `#` is a random digit.
        let mobile: String
        let numberFirst: Bool
    }

    static let countries: [Country] = [
        Country(code: "351", domain: "example.pt",
                given: ["João", "Maria", "Ana", "Pedro", "Inês", "Tiago", "Beatriz", "Rui", "Sofia", "Miguel", "Catarina", "Diogo"],
                family: ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Gonçalves",
                         "Almeida", "Carvalho"],
                streets: ["Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Ouro", "Avenida dos Aliados",
                          "Rua Garrett"],
                cities: [("1100-053", "Lisboa"), ("4000-069", "Porto"), ("3000-214", "Coimbra"), ("4700-035", "Braga"),
                         ("8000-138", "Faro")],
                mobile: "9########", numberFirst: false),
        Country(code: "34", domain: "example.es",
                given: ["Lucía", "Hugo", "Martina", "Pablo", "Carmen", "Javier", "Elena", "Diego", "Paula", "Álvaro", "Irene", "Sergio"],
                family: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez",
                         "Ruiz", "Jiménez"],
                streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Paseo de Gracia", "Calle Sierpes", "Calle Larios"],
                cities: [("28013", "Madrid"), ("08007", "Barcelona"), ("41004", "Sevilla"), ("46002", "Valencia"), ("29005", "Málaga")],
                mobile: "6########", numberFirst: false),
        Country(code: "33", domain: "example.fr",
                given: ["Camille", "Louis", "Léa", "Gabriel", "Chloé", "Jules", "Manon", "Arthur", "Élise", "Théo", "Inès", "Hugo"],
                family: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                         "Lefèvre", "Girard"],
                streets: ["rue de Rivoli", "boulevard Haussmann", "rue de la République", "avenue Jean Jaurès", "rue Nationale",
                          "cours Mirabeau"],
                cities: [("75001", "Paris"), ("69002", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse"), ("33000", "Bordeaux")],
                mobile: "6########", numberFirst: true),
        Country(code: "49", domain: "example.de",
                given: ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Sophie", "Leon", "Hannah", "Jana", "Tim"],
                family: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
                         "Koch", "Richter"],
                streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Goethestraße", "Lindenallee"],
                cities: [("10117", "Berlin"), ("80331", "München"), ("20095", "Hamburg"), ("50667", "Köln"), ("04109", "Leipzig")],
                mobile: "151########", numberFirst: false),
        Country(code: "39", domain: "example.it",
                given: ["Giulia", "Francesco", "Chiara", "Alessandro", "Sara", "Lorenzo", "Martina", "Matteo", "Giorgia", "Andrea",
                        "Federica", "Davide"],
                family: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
                         "Bruno", "Gallo"],
                streets: ["Via Roma", "Corso Italia", "Via Garibaldi", "Via Dante", "Piazza Duomo", "Via Mazzini"],
                cities: [("00184", "Roma"), ("20121", "Milano"), ("80138", "Napoli"), ("10121", "Torino"), ("40121", "Bologna")],
                mobile: "3#########", numberFirst: false),
        Country(code: "31", domain: "example.nl",
                given: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sara", "Milan", "Anna", "Noah", "Fleur"],
                family: ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
                         "Bos", "Vos"],
                streets: ["Kalverstraat", "Damrak", "Oudegracht", "Coolsingel", "Grote Markt", "Lange Voorhout"],
                cities: [("1012 NX", "Amsterdam"), ("3511 AL", "Utrecht"), ("3012 AA", "Rotterdam"), ("9711 LV", "Groningen"),
                         ("2511 CV", "Den Haag")],
                mobile: "6########", numberFirst: false),
        Country(code: "48", domain: "example.pl",
                given: ["Zofia", "Jakub", "Julia", "Antoni", "Zuzanna", "Jan", "Maja", "Szymon", "Hanna", "Filip", "Oliwia", "Kacper"],
                family: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
                         "Szymański", "Woźniak", "Dąbrowski", "Kozłowski"],
                streets: ["ulica Marszałkowska", "ulica Floriańska", "ulica Długa", "ulica Piotrkowska", "ulica Świętojańska",
                          "ulica Mickiewicza"],
                cities: [("00-624", "Warszawa"), ("31-019", "Kraków"), ("80-831", "Gdańsk"), ("90-001", "Łódź"), ("50-001", "Wrocław")],
                mobile: "5########", numberFirst: false),
        Country(code: "353", domain: "example.ie",
                given: ["Seán", "Aoife", "Conor", "Niamh", "Cian", "Saoirse", "Oisín", "Ciara", "Darragh", "Róisín", "Eoin", "Clodagh"],
                family: ["Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill",
                         "Doyle", "McCarthy"],
                streets: ["Grafton Street", "O'Connell Street", "Patrick Street", "Shop Street", "Henry Street", "Main Street"],
                cities: [("D02 YX88", "Dublin"), ("T12 X70A", "Cork"), ("H91 E2K3", "Galway"), ("V94 T2Y7", "Limerick"),
                         ("X91 K0EK", "Waterford")],
                mobile: "8########", numberFirst: true),
        Country(code: "43", domain: "example.at",
                given: ["Maximilian", "Laura", "Tobias", "Katharina", "Florian", "Lisa", "David", "Sarah", "Elias", "Valentina"],
                family: ["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer", "Hofer", "Leitner"],
                streets: ["Mariahilfer Straße", "Getreidegasse", "Herrengasse", "Landstraße", "Maria-Theresien-Straße"],
                cities: [("1070", "Wien"), ("5020", "Salzburg"), ("8010", "Graz"), ("6020", "Innsbruck"), ("4020", "Linz")],
                mobile: "664#######", numberFirst: false),
        Country(code: "46", domain: "example.se",
                given: ["Alice", "William", "Maja", "Oscar", "Elsa", "Liam", "Astrid", "Hugo", "Ebba", "Nils"],
                family: ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
                         "Lindqvist"],
                streets: ["Drottninggatan", "Kungsgatan", "Storgatan", "Vasagatan", "Södra Förstadsgatan"],
                cities: [("111 51", "Stockholm"), ("411 06", "Göteborg"), ("211 43", "Malmö"), ("753 20", "Uppsala")],
                mobile: "7########", numberFirst: false),
    ]

    /// SplitMix64: small, fast and the same on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` people with unique E.164 phone numbers and unique emails.
    static func make(count: Int, seed: UInt64 = 2016_04_27) -> [Person] {
        var random = Generator(state: seed)
        var seenPhones = Set<String>()
        var people: [Person] = []
        people.reserveCapacity(count)
        while people.count < count {
            let country = countries[Int(random.next() % UInt64(countries.count))]
            func pick<T>(_ list: [T]) -> T { list[Int(random.next() % UInt64(list.count))] }
            let given = pick(country.given)
            let family = pick(country.family)
            var national = ""
            for character in country.mobile {
                national.append(character == "#" ? Character(String(random.next() % 10)) : character)
            }
            let phone = "+\(country.code)\(national)"
            guard seenPhones.insert(phone).inserted else { continue }
            let place = pick(country.cities)
            let street = pick(country.streets)
            let number = 1 + Int(random.next() % 240)
            let year = 1940 + Int(random.next() % 66)
            let month = 1 + Int(random.next() % 12)
            let day = 1 + Int(random.next() % 28)
            let local = "\(given).\(family)"
                .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .replacingOccurrences(of: "ł", with: "l")
                .lowercased()
                .filter { ("a"..."z").contains($0) || $0 == "." }
            people.append(Person(
                name: "\(given) \(family)",
                phone: phone,
                email: "\(local)\(people.count)@\(country.domain)",
                address: country.numberFirst
                    ? "\(number) \(street), \(place.postcode) \(place.city)"
                    : "\(street) \(number), \(place.postcode) \(place.city)",
                birthDate: String(format: "%04d-%02d-%02d", year, month, day)))
        }
        return people
    }
}
