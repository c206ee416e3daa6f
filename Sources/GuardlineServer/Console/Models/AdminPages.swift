import GuardlineCore

struct UsersPage {
    struct Row {
        let email: String
        let name: String
        let role: String
        let team: String
        let profile: String
        let disabled: Bool
    }

    struct Option {
        let value: String
        let label: String
    }

    let chrome: Chrome
    let users: [Row]
    let roles: [Option]
    let teams: [Option]
    let error: String?
}

struct TeamsPage {
    struct Row {
        let name: String
        let profile: String
        let members: Int
    }

    let chrome: Chrome
    let teams: [Row]
    let profiles: [UsersPage.Option]
    let error: String?
}

struct ProfilesPage {
    struct Row {
        let id: String
        let name: String
        let summary: String
        let capabilities: String
    }

    let chrome: Chrome
    let profiles: [Row]
}

/// The profile editor: for each catalog field an access select and a mask select.
struct ProfileFormPage {
    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    struct FieldRow {
        let key: String
        let label: String
        let special: Bool
        let access: [Choice]
        let masks: [Choice]
    }

    struct CapabilityRow {
        let key: String
        let label: String
        let checked: Bool
    }

    let chrome: Chrome
    let title: String
    let action: String
    let name: String
    let fields: [FieldRow]
    let capabilities: [CapabilityRow]
    /// Need-to-know: a new profile starts bound to the live interaction.
    let contextRules: [Choice]
    let error: String?

    init(chrome: Chrome, title: String, action: String, profile: AccessProfile?, catalog: FieldCatalog, error: String?) {
        self.chrome = chrome
        self.title = title
        self.action = action
        self.error = error
        name = profile?.name ?? ""
        fields = catalog.fields.map { field in
            let rule = profile?.fields[field.key] ?? .hidden
            return FieldRow(
                key: field.key.rawValue, label: field.label, special: field.specialCategory,
                access: FieldAccess.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == rule.access) },
                masks: MaskFormat.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == rule.mask) })
        }
        capabilities = Capability.allCases.map {
            CapabilityRow(key: $0.rawValue, label: $0.label, checked: profile?.capabilities.contains($0) ?? false)
        }
        let rule = profile?.contextRule ?? .interaction
        contextRules = ContextRule.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == rule) }
    }
}

struct AuditPage {
    struct Row {
        let seq: Int64
        let at: String
        let actor: String
        let action: String
        let contactID: String
        let contactShort: String
        let fields: String
        let context: String
        /// The sealed reason's words, opened for the DPO while the contact exists.
        let reason: String
    }

    let chrome: Chrome
    let intact: Bool
    let checked: Int64
    let problem: String?
    let rows: [Row]
    let contactFilter: String
    let actionFilter: String
    let nextCursor: String?
}

struct LoginPage {
    let csrf: String
    let email: String
    let error: String?
}
