import GuardlineCore
import Testing

/// Capabilities come from the profile and the role, and a token's scopes only narrow them (Art25, Art32).
@Suite("Authorization (Art25, Art32)")
struct AuthorizationTests {
    private func auth(_ role: Role, _ capabilities: Set<Capability> = [], scopes: Set<TokenScope>? = nil) -> Authorization {
        Authorization(role: role, profile: Fixture.profile([:], capabilities: capabilities), scopes: scopes)
    }

    private let everything = Set(Capability.allCases)

    @Test("Roles carry their administrative capabilities by definition")
    func roleCapabilities() {
        #expect(Authorization.roleCapabilities(.admin) == [.manageUsers, .manageProfiles, .manageCatalog])
        #expect(Authorization.roleCapabilities(.dpo) == [.readAudit])
        #expect(Authorization.roleCapabilities(.supervisor).isEmpty)
        #expect(Authorization.roleCapabilities(.agent).isEmpty)
    }

    @Test("Art25: an admin manages users, profiles and the catalog but reads no audit and no contacts without a profile for it")
    func adminManages() {
        let admin = auth(.admin)
        #expect(admin.capabilities == [.manageUsers, .manageProfiles, .manageCatalog])
        #expect(!admin.has(.readAudit))
        #expect(!admin.has(.searchByName))
    }

    @Test("Art30: a DPO reads the audit log even with an empty profile")
    func dpoReadsAudit() {
        let dpo = auth(.dpo)
        #expect(dpo.capabilities == [.readAudit])
        #expect(!dpo.has(.manageUsers))
    }

    @Test("Art25: an agent has exactly the capabilities its profile lists")
    func agentHasProfileCapabilities() {
        #expect(auth(.agent).capabilities.isEmpty)
        #expect(auth(.agent, [.searchByName, .reveal]).capabilities == [.searchByName, .reveal])
    }

    @Test("A console session (no token) has the full union of profile and role")
    func consoleSessionUnion() {
        let dpo = auth(.dpo, [.export, .manageCatalog])
        #expect(dpo.capabilities == [.readAudit, .export, .manageCatalog])
        #expect(dpo.mayReadContacts)
        #expect(dpo.mayWriteContacts)
    }

    @Test("Art32: a contacts.read token cannot create contacts, erase them or read the audit")
    func readTokenNarrows() {
        let token = auth(.dpo, everything, scopes: [.contactsRead])
        #expect(token.capabilities == [
            .searchByName, .listContacts, .export, .reveal, .specialCategories, .readInteractions, .allInteractions, .playRecordings,
        ])
        #expect(!token.has(.createContacts))
        #expect(!token.has(.deleteContacts))
        #expect(!token.has(.readAudit))
        #expect(!token.has(.manageUsers))
        #expect(token.mayReadContacts)
        #expect(!token.mayWriteContacts)
    }

    @Test("Art32: a contacts.write token reads and writes contacts but reads no audit")
    func writeTokenNarrows() {
        let token = auth(.agent, everything, scopes: [.contactsWrite])
        #expect(token.capabilities == [
            .searchByName, .listContacts, .export, .reveal, .specialCategories, .createContacts, .deleteContacts, .recordConsent,
            .manageCampaigns, .dialCampaigns, .restrictProcessing, .importContacts, .readInteractions, .allInteractions, .playRecordings,
            .handleRequests,
        ])
        #expect(token.mayReadContacts)
        #expect(token.mayWriteContacts)
    }

    @Test("Art32: an audit.read token reads the audit and nothing of the contacts")
    func auditTokenNarrows() {
        let token = auth(.dpo, everything, scopes: [.auditRead])
        #expect(token.capabilities == [.readAudit])
        #expect(!token.mayReadContacts)
        #expect(!token.mayWriteContacts)
    }

    @Test("Art32: the admin scope grants nothing the person does not already have")
    func scopeNeverAddsCapabilities() {
        #expect(auth(.agent, scopes: Set(TokenScope.allCases)).capabilities.isEmpty)
        #expect(auth(.admin, scopes: [.admin]).capabilities == [.manageUsers, .manageProfiles, .manageCatalog])
        #expect(auth(.admin, scopes: [.contactsRead]).capabilities.isEmpty)
    }

    @Test("Art32: a token with no scopes may do nothing")
    func emptyScopes() {
        let token = auth(.admin, everything, scopes: [])
        #expect(token.capabilities.isEmpty)
        #expect(!token.mayReadContacts)
        #expect(!token.mayWriteContacts)
        #expect(token.grantableScopes.isEmpty)
    }

    static let grantCases: [(Role, Set<Capability>, Set<TokenScope>)] = [
        (.agent, [], [.contactsRead, .contactsWrite]),
        (.supervisor, [.listContacts], [.contactsRead, .contactsWrite]),
        (.dpo, [], [.contactsRead, .contactsWrite, .auditRead]),
        (.agent, [.readAudit], [.contactsRead, .contactsWrite, .auditRead]),
        // Wiring the phone system (cti.events) is for those who manage users.
        (.admin, [], [.contactsRead, .contactsWrite, .admin, .cti]),
        (.agent, [.manageCatalog], [.contactsRead, .contactsWrite, .admin]),
    ]

    @Test("Anyone may grant contact scopes; audit and admin scopes follow the capabilities", arguments: grantCases)
    func grantableScopes(role: Role, capabilities: Set<Capability>, expected: Set<TokenScope>) {
        #expect(auth(role, capabilities).grantableScopes == expected)
    }

    @Test("Art32: a token can only mint tokens with a subset of its own scopes")
    func grantableScopesWithinToken() {
        #expect(auth(.dpo, scopes: [.contactsRead]).grantableScopes == [.contactsRead])
        #expect(auth(.admin, scopes: [.contactsRead, .admin]).grantableScopes == [.contactsRead, .admin])
        #expect(auth(.agent, scopes: [.auditRead, .admin]).grantableScopes.isEmpty)
    }

    @Test("Token scopes use dotted names")
    func scopeNames() {
        #expect(TokenScope.allCases.map(\.rawValue) == ["contacts.read", "contacts.write", "audit.read", "admin", "cti.events"])
    }
}
