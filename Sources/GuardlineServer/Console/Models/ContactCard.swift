import GuardlineCore

/// A contact as the console shows it: only the fields the policy let
/// through, in catalog order, with the actions the viewer's profile allows.
struct ContactCard {
    struct Field {
        let key: String
        let label: String
        let value: String
        /// `visible`, `editable` or `masked`: what the policy decided.
        let access: String
        let masked: Bool
        let revealable: Bool
    }

    let id: String
    /// `C-004211`: what people read and search by.
    let reference: String
    let fields: [Field]
    let canEdit: Bool
    let canReveal: Bool
    let canErase: Bool
    let csrf: String
    let revealed: Field?
    /// The live interaction the card was opened in: its links and forms keep it.
    let interaction: String?
    /// The call has no contact yet: the card offers "this is the caller".
    var linksCall = false
    let reasonCodes = RevealReason.allCases.map { (code: $0.rawValue, label: $0.label) }

    init(_ view: ContactView, catalog: FieldCatalog, principal: Principal, csrf: String, revealed: (FieldKey, String)? = nil,
         interaction: InteractionID? = nil) {
        id = view.id.description
        self.interaction = interaction?.description
        reference = view.reference?.description ?? "Contact \(view.id.description.prefix(8))"
        let masked = Set(view.masked)
        let editable = Set(view.editable)
        let canReveal = principal.authorization.has(.reveal)
        fields = catalog.keys.compactMap { key in
            guard let value = view.fields[key] else { return nil }
            let access = masked.contains(key) ? "masked" : editable.contains(key) ? "editable" : "visible"
            return Field(key: key.rawValue, label: catalog[key]?.label ?? key.rawValue, value: value, access: access,
                         masked: masked.contains(key), revealable: masked.contains(key) && canReveal)
        }
        canEdit = !editable.isEmpty
        self.canReveal = canReveal && !masked.isEmpty
        canErase = principal.authorization.has(.deleteContacts)
        self.csrf = csrf
        self.revealed = revealed.map {
            Field(key: $0.0.rawValue, label: catalog[$0.0]?.label ?? $0.0.rawValue, value: $0.1, access: "revealed", masked: false, revealable: false)
        }
    }
}

struct LookupPage {
    let chrome: Chrome
    let phone: String
    let email: String
    let name: String
    let reference: String
    var interaction: String? = nil
    let canSearchByName: Bool
    var canSearchByReference = false
    let searched: Bool
    let cards: [ContactCard]
    let error: String?
}

struct ContactPage {
    let chrome: Chrome
    let card: ContactCard
    /// Nil when the viewer may not read the contact's consent.
    let consent: ConsentPanel?
    /// Nil unless the viewer restricts processing (the DPO).
    var limits: LimitsPanel? = nil
    /// When processing was restricted, for the banner every viewer sees: kept, not to be used.
    var restrictedSince: String? = nil
    var timeline: TimelinePanel? = nil
}

struct ContactListPage {
    let chrome: Chrome
    let cards: [ContactCard]
    let nextCursor: String?
}

/// The create and edit form: one input per field the viewer may edit.
struct ContactFormPage {
    struct Input {
        let key: String
        let label: String
        let value: String
        let type: String
        let hint: String
    }

    let chrome: Chrome
    let title: String
    let action: String
    let inputs: [Input]
    let error: String?
    let isEdit: Bool
    var interaction: String? = nil

    static func inputs(catalog: FieldCatalog, profile: AccessProfile, values: [String: String]) -> [Input] {
        inputs(catalog: catalog, editable: Set(catalog.keys.filter { AccessPolicy.permits(.edit, profile, field: $0, catalog: catalog) }), values: values)
    }

    static func inputs(catalog: FieldCatalog, editable: Set<FieldKey>, values: [String: String]) -> [Input] {
        catalog.fields.filter { editable.contains($0.key) }.map { field in
            let (type, hint): (String, String) = switch field.key {
            case .phone: ("tel", "International form, e.g. +351 912 345 678")
            case .email: ("email", "")
            case .birthDate: ("date", "YYYY-MM-DD")
            default: ("text", "")
            }
            return Input(key: field.key.rawValue, label: field.label, value: values[field.key.rawValue] ?? "", type: type, hint: hint)
        }
    }
}
