/// First drafts of the privacy notice and of each purpose's agent script, written
/// from the catalog in plain words, for the admin to edit (each edit a new
/// version). They say what is held, why, on what basis, for how long, and that a
/// decision can be changed as easily as it was given.
public enum NoticeDrafts {
    public static func notice(organization: String, purposes: [Purpose], catalog: FieldCatalog) -> String {
        var text = """
            How \(organization) uses your personal data

            We keep only the data we need for the purposes below. For each one we tell you \
            what we use, why we may do it, and how long we keep it.

            """
        for purpose in purposes where purpose.active {
            let fields = catalog.fields.filter { $0.purposes.contains(purpose.key) }.map { $0.label.lowercased() }
            text += "\n\(purpose.name)\n"
            text += "\(purpose.description)\n"
            if !fields.isEmpty { text += "What we use: \(list(fields)).\n" }
            text += "Why we may: \(basis(purpose.lawfulBasis)).\n"
            text += "How long we keep it: \(duration(purpose.retentionDays)).\n"
        }
        text += """

            Your rights
            You can ask us for a copy of your data, to correct it, to erase it, to limit how \
            we use it, or to stop using it for marketing. Where we ask for your consent, you \
            can withdraw it at any time, as easily as you gave it: tell any of our agents, or \
            use our privacy portal. You can also complain to your data protection authority.
            """
        return text
    }

    public static func script(organization: String, purpose: Purpose, catalog: FieldCatalog) -> String {
        let fields = catalog.fields.filter { $0.purposes.contains(purpose.key) }.map { $0.label.lowercased() }
        let channels = list(purpose.channels.map { $0.label.lowercased() == "sms" ? "SMS" : $0.label.lowercased() })
        var text = "\(purpose.name). Before we go on, may I ask you something? "
        text += "\(organization) would like your permission for this: \(lowercasedFirst(purpose.description)) "
        if !fields.isEmpty { text += "For it we would use your \(list(fields)). " }
        text += "We keep that for \(duration(purpose.retentionDays)). "
        text += "You can say no, and if you say yes you can change your mind at any time, by telling us or in our privacy portal. "
        text += "Do you agree to this by \(channels)?"
        return text
    }

    static func basis(_ basis: LawfulBasis) -> String {
        switch basis {
        case .consent: "you agreed to it, and only while you agree"
        case .contract: "we need it to provide the service you signed up for"
        case .legalObligation: "the law requires us to"
        case .vitalInterest: "it protects someone's life or health"
        case .publicTask: "it is part of a task in the public interest"
        case .legitimateInterest: "it is in our legitimate interest, weighed against yours, and you can object"
        }
    }

    static func duration(_ days: Int) -> String {
        if days % 365 == 0 { return days == 365 ? "1 year" : "\(days / 365) years" }
        if days % 30 == 0 { return days == 30 ? "1 month" : "\(days / 30) months" }
        return days == 1 ? "1 day" : "\(days) days"
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
