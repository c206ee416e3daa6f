import Foundation
import GuardlineCore
import GuardlineStore
import Logging

/// Creates the demo organization once: teams Inbound Support and Outbound
/// Sales, one account per role, and about 1,000 contacts. Running it again
/// on the same data does nothing, so restarting with `--demo` never duplicates.
public struct DemoSeeder: Sendable {
    public static let organizationName = "Demo Contact Center"
    public static let accounts: [(email: String, name: String, role: Role, team: String?, profile: String?)] = [
        ("admin@demo.test", "Alex Admin", .admin, nil, "Administration"),
        ("dpo@demo.test", "Dana Protection", .dpo, nil, "Data Protection"),
        ("supervisor@demo.test", "Sam Supervisor", .supervisor, nil, "Supervision"),
        ("inbound@demo.test", "Ines Inbound", .agent, "Inbound Support", nil),
        ("outbound@demo.test", "Oscar Outbound", .agent, "Outbound Sales", nil),
    ]

    let services: GuardlineServices

    public init(_ services: GuardlineServices) { self.services = services }

    /// Returns false when the demo organization already exists.
    @discardableResult
    public func seed(password: String, contacts count: Int = 1000, logger: Logger) async throws -> Bool {
        if try await services.organizations.find(named: Self.organizationName) != nil { return false }
        let clock = services.clock
        let org = try await services.organizations.create(name: Self.organizationName, clock: clock)
        // The demo's shared logins keep working with a password alone; a real organization
        // requires two-step sign-in for admin and DPO (`guardline serve --demo` says so).
        try await services.organizations.setMFARoles([], org: org.id)
        let profiles = Dictionary(uniqueKeysWithValues: try await services.profiles.all(org: org.id).map { ($0.name, $0.id) })
        var teams: [String: TeamID] = [:]
        for name in ["Inbound Support", "Outbound Sales"] {
            let team = Team(id: .make(at: clock.now), orgID: org.id, name: name, profileID: profiles[name]!, createdAt: clock.now)
            try await services.teams.create(team)
            teams[name] = team.id
        }
        let hash = try await services.passwords.hash(password)
        var dpo: StaffUser?
        for account in Self.accounts {
            let user = StaffUser(
                id: .make(at: clock.now), orgID: org.id, email: account.email, name: account.name, role: account.role,
                teamID: account.team.flatMap { teams[$0] }, profileID: account.profile.flatMap { profiles[$0] },
                disabled: false, createdAt: clock.now)
            try await services.users.create(user, passwordHash: hash)
            if account.role == .dpo { dpo = user }
        }
        // Contacts are imported as the DPO would, through the directory: encrypted, indexed, audited.
        let importer = Principal(
            user: dpo!, authorization: try await services.authenticator.authorization(for: dpo!, scopes: nil), credential: .session)
        let people = DemoPeople.make(count: count)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in stride(from: 0, to: people.count, by: 100).map({ people[$0..<min($0 + 100, people.count)] }) {
                group.addTask {
                    for person in slice { _ = try await services.contacts.create(person, stage: "customer", by: importer) }
                }
            }
            try await group.waitForAll()
        }
        logger.info("Demo organization created", metadata: ["guardline.contacts": "\(people.count)"])
        return true
    }
}
