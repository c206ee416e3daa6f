/// What a person may do: their profile's capabilities plus those their role
/// carries by definition (an admin administers, a DPO reads the audit log),
/// narrowed by the scopes of the token they came with.
public struct Authorization: Sendable {
    public let role: Role
    public let profile: AccessProfile
    /// nil for a console session: the person's full rights.
    public let scopes: Set<TokenScope>?

    public init(role: Role, profile: AccessProfile, scopes: Set<TokenScope>?) {
        self.role = role
        self.profile = profile
        self.scopes = scopes
    }

    public static func roleCapabilities(_ role: Role) -> Set<Capability> {
        switch role {
        case .admin: [.manageUsers, .manageProfiles, .manageCatalog]
        case .dpo: [.readAudit]
        case .supervisor, .agent: []
        }
    }

    public var capabilities: Set<Capability> {
        profile.capabilities.union(Self.roleCapabilities(role)).filter { scopeAllows($0) }
    }

    public func has(_ capability: Capability) -> Bool { capabilities.contains(capability) }

    /// Reading contacts at all (lookups, cards) needs only the scope; the profile decides the fields.
    public var mayReadContacts: Bool { scopes.map { $0.contains(.contactsRead) || $0.contains(.contactsWrite) } ?? true }
    public var mayWriteContacts: Bool { scopes.map { $0.contains(.contactsWrite) } ?? true }

    /// A token of the phone system (`cti.events`) whose maker still manages users: a token
    /// outlives no demotion of the person who made it.
    public var holdsPhoneSystemScope: Bool {
        guard let scopes, scopes.contains(.cti) else { return false }
        return profile.capabilities.union(Self.roleCapabilities(role)).contains(.manageUsers)
    }

    /// The scopes this person may hand to a token they create.
    public var grantableScopes: Set<TokenScope> {
        var result: Set<TokenScope> = [.contactsRead, .contactsWrite]
        if has(.readAudit) { result.insert(.auditRead) }
        if has(.manageUsers) || has(.manageProfiles) || has(.manageCatalog) { result.insert(.admin) }
        // Wiring the phone system is an administrator's job.
        if has(.manageUsers) { result.insert(.cti) }
        return scopes.map { result.intersection($0) } ?? result
    }

    private func scopeAllows(_ capability: Capability) -> Bool {
        guard let scopes else { return true }
        switch capability {
        case .searchByName, .listContacts, .export, .reveal, .specialCategories, .readInteractions, .allInteractions, .playRecordings: return scopes.contains(.contactsRead) || scopes.contains(.contactsWrite)
        case .createContacts, .deleteContacts, .recordConsent, .manageCampaigns, .dialCampaigns, .restrictProcessing, .importContacts, .handleRequests:
            return scopes.contains(.contactsWrite)
        case .readAudit: return scopes.contains(.auditRead)
        case .manageUsers, .manageProfiles, .manageCatalog: return scopes.contains(.admin)
        }
    }
}
