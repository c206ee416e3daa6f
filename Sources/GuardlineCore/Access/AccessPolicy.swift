/// The one place that decides what a person may do with a contact field.
///
/// Every personal field passes `decide` on its way out, for the API and the
/// console alike. Deny by default: a field the profile does not name, or a
/// field the catalog does not know, is hidden; an Art. 9 special-category
/// field is hidden unless the profile also holds `specialCategories`.
public enum AccessPolicy {
    public enum Action: Sendable {
        case read
        case edit
    }

    public enum Decision: Sendable, Equatable {
        case hidden
        case masked(MaskFormat)
        case visible
        case editable

        /// Whether the field's plaintext is needed to serve this decision: not for
        /// a hidden field, nor for one shown fully redacted.
        public var needsValue: Bool { self != .hidden && self != .masked(.redacted) }
    }

    public static func decide(_ profile: AccessProfile, field: FieldKey, catalog: FieldCatalog) -> Decision {
        guard let entry = catalog[field], let rule = profile.fields[field] else { return .hidden }
        if entry.specialCategory, !profile.capabilities.contains(.specialCategories) { return .hidden }
        switch rule.access {
        case .hidden: return .hidden
        case .masked: return .masked(rule.mask)
        case .visible: return .visible
        case .editable: return .editable
        }
    }

    /// Whether a lookup may search by `field`. A match tells the searcher that the
    /// value they typed belongs to a customer, so searching needs something of the
    /// field shown (masked, but not fully redacted, or in clear); a name search needs
    /// the `searchByName` capability too, since it finds people, not a number one holds.
    public static func maySearch(by field: FieldKey, _ profile: AccessProfile, catalog: FieldCatalog) -> Bool {
        guard decide(profile, field: field, catalog: catalog).needsValue else { return false }
        return field != .name || profile.capabilities.contains(.searchByName)
    }

    public static func permits(_ action: Action, _ profile: AccessProfile, field: FieldKey, catalog: FieldCatalog) -> Bool {
        let decision = decide(profile, field: field, catalog: catalog)
        switch action {
        case .read: return decision == .visible || decision == .editable
        case .edit: return decision == .editable
        }
    }
}
