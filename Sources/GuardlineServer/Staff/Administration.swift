import Foundation
import GuardlineCore
import GuardlineStore

/// Users, teams, access profiles and the catalog (`Administration+Catalog`), as
/// admins change them: validated here once for the API and the console, every
/// change audited.
public struct Administration: Sendable {
    let services: GuardlineServices

    public init(_ services: GuardlineServices) { self.services = services }

    public struct NewUser: Sendable {
        public var email: String
        public var name: String
        public var password: String
        public var role: Role
        public var teamID: String?
        public var profileID: String?

        public init(email: String, name: String, password: String, role: Role, teamID: String?, profileID: String?) {
            self.email = email
            self.name = name
            self.password = password
            self.role = role
            self.teamID = teamID
            self.profileID = profileID
        }
    }

    public struct UserChanges: Sendable {
        public var name: String?
        public var role: Role?
        public var teamID: String??
        public var profileID: String??
        public var disabled: Bool?
        public var password: String?

        public init(name: String? = nil, role: Role? = nil, teamID: String?? = nil, profileID: String?? = nil, disabled: Bool? = nil, password: String? = nil) {
            self.name = name
            self.role = role
            self.teamID = teamID
            self.profileID = profileID
            self.disabled = disabled
            self.password = password
        }
    }

    // MARK: Users

    public func users(by principal: Principal) async throws -> [StaffUser] {
        try principal.require(.manageUsers, to: "manage users")
        return try await services.users.all(org: principal.orgID)
    }

    public func user(_ id: String, by principal: Principal) async throws -> StaffUser {
        try principal.require(.manageUsers, to: "manage users")
        guard let id = UserID(id), let user = try await services.users.find(id, org: principal.orgID) else {
            throw GuardlineError.notFound("The user")
        }
        return user
    }

    public func createUser(_ input: NewUser, by principal: Principal) async throws -> StaffUser {
        try principal.require(.manageUsers, to: "manage users")
        guard input.email.unicodeScalars.count <= 254, let email = EmailAddress(input.email) else {
            throw GuardlineError.invalid("The email address is not valid.")
        }
        let name = try TextRules.required(input.name, "name", max: 200)
        try TextRules.password(input.password)
        try await enforce(SeparationOfDuties.checkCreate(role: input.role, by: principal.dutyActor), principal, target: "new user")
        let team = try await resolveTeam(input.teamID, org: principal.orgID)
        let profile = try await resolveProfile(input.profileID, org: principal.orgID)
        try await enforceGrant(profile: profile, team: team, principal, target: "new user")
        let user = StaffUser(
            id: .make(at: services.clock.now), orgID: principal.orgID, email: email.normalized, name: name, role: input.role,
            teamID: team, profileID: profile, disabled: false, createdAt: services.clock.now)
        try await services.users.create(user, passwordHash: try await services.passwords.hash(input.password))
        try await record(principal, "user.create", context: "user \(user.id), role \(user.role.rawValue)")
        return user
    }

    public func updateUser(_ id: String, _ changes: UserChanges, by principal: Principal) async throws -> StaffUser {
        let before = try await self.user(id, by: principal)
        var user = before
        if let name = changes.name { user.name = try TextRules.required(name, "name", max: 200) }
        if let role = changes.role { user.role = role }
        if let team = changes.teamID { user.teamID = try await resolveTeam(team, org: principal.orgID) }
        if let profile = changes.profileID { user.profileID = try await resolveProfile(profile, org: principal.orgID) }
        let reassigned = user.role != before.role || user.teamID != before.teamID || user.profileID != before.profileID
        try await enforce(
            SeparationOfDuties.checkUpdate(of: before, newRole: changes.role, changesAssignment: reassigned, by: principal.dutyActor),
            principal, target: "user \(before.id)")
        if user.teamID != before.teamID || user.profileID != before.profileID {
            try await enforceGrant(profile: user.profileID, team: user.teamID, principal, target: "user \(before.id)")
        }
        if changes.password != nil {
            try await enforce(SeparationOfDuties.checkPassword(of: before, by: principal.dutyActor), principal, target: "user \(before.id)")
        }
        if let disabled = changes.disabled {
            guard !(disabled && user.id == principal.user.id) else { throw GuardlineError.invalid("You cannot disable your own account.") }
            user.disabled = disabled
        }
        var hash: String?
        if let password = changes.password {
            try TextRules.password(password)
            hash = try await services.passwords.hash(password)
        }
        try await services.users.update(user, passwordHash: hash)
        // New rights start with a new sign-in (and its second step, where the new role requires one).
        if user.disabled || hash != nil || user.role != before.role {
            try await services.credentials.revokeAll(user: user.id, now: services.clock.now)
        }
        // Tokens in use see the change at their next request, not after the cache's lifetime.
        services.bearers.invalidateAll()
        let changed = [changes.name.map { _ in "name" }, changes.role.map { _ in "role" }, changes.teamID.map { _ in "team" },
                       changes.profileID.map { _ in "profile" }, changes.disabled.map { _ in "disabled" },
                       changes.password.map { _ in "password" }].compactMap { $0 }
        try await record(principal, "user.update", context: "user \(user.id): \(changed.joined(separator: ", "))")
        return user
    }

    // MARK: Teams

    public func teams(by principal: Principal) async throws -> [Team] {
        try principal.require(.manageUsers, to: "manage teams")
        return try await services.teams.all(org: principal.orgID)
    }

    public func createTeam(name: String, profileID: String, by principal: Principal) async throws -> Team {
        try principal.require(.manageUsers, to: "manage teams")
        let name = try TextRules.required(name, "name", max: 200)
        guard let profile = try await resolveProfile(profileID, org: principal.orgID) else {
            throw GuardlineError.invalid("A team needs an access profile.")
        }
        let team = Team(id: .make(at: services.clock.now), orgID: principal.orgID, name: name, profileID: profile, createdAt: services.clock.now)
        try await services.teams.create(team)
        try await record(principal, "team.create", context: "team \(team.id), profile \(profile)")
        return team
    }

    public func updateTeam(_ id: String, name: String?, profileID: String?, by principal: Principal) async throws -> Team {
        try principal.require(.manageUsers, to: "manage teams")
        guard let id = TeamID(id), var team = try await services.teams.find(id, org: principal.orgID) else {
            throw GuardlineError.notFound("The team")
        }
        if let name { team.name = try TextRules.required(name, "name", max: 200) }
        if let profileID, let profile = try await resolveProfile(profileID, org: principal.orgID), profile != team.profileID {
            try await enforce(SeparationOfDuties.checkTeamProfileChange(team.id, by: principal.dutyActor), principal, target: "team \(team.id)")
            try await enforceGrant(profile: profile, team: nil, principal, target: "team \(team.id)")
            team.profileID = profile
        }
        try await services.teams.update(team)
        services.bearers.invalidateAll()
        try await record(principal, "team.update", context: "team \(team.id), profile \(team.profileID)")
        return team
    }

    // MARK: Access profiles

    public func profiles(by principal: Principal) async throws -> [AccessProfile] {
        try principal.require(.manageProfiles, to: "manage access profiles")
        return try await services.profiles.all(org: principal.orgID)
    }

    public func profile(_ id: String, by principal: Principal) async throws -> AccessProfile {
        try principal.require(.manageProfiles, to: "manage access profiles")
        guard let id = AccessProfileID(id), let profile = try await services.profiles.find(id, org: principal.orgID) else {
            throw GuardlineError.notFound("The access profile")
        }
        return profile
    }

    /// Creates (id nil) or replaces a profile. Rules must name catalog fields.
    public func saveProfile(
        _ id: String?, name: String, fields: [String: FieldRule], capabilities: Set<Capability>, contextRule: ContextRule? = nil,
        by principal: Principal
    ) async throws -> AccessProfile {
        try principal.require(.manageProfiles, to: "manage access profiles")
        let name = try TextRules.required(name, "name", max: 200)
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        var rules: [FieldKey: FieldRule] = [:]
        for (key, rule) in fields {
            guard catalog.contains(FieldKey(key)) else {
                throw GuardlineError.invalid("The profile names a field the catalog does not have ('\(FieldKey(key).isWellFormed ? key : "(malformed key)")').")
            }
            rules[FieldKey(key)] = rule
        }
        let now = services.clock.now
        let asked = AccessProfile(id: .make(at: now), orgID: principal.orgID, name: name, fields: rules,
                                  capabilities: capabilities, createdAt: now, updatedAt: now)
        try await enforce(SeparationOfDuties.checkGrant(asked, by: principal.dutyActor), principal,
                          target: "profile \(id.flatMap(AccessProfileID.init)?.description ?? "new")")
        /// The Art. 9 fields a profile shows (in any form).
        func specialShown(_ profile: AccessProfile) -> Set<FieldKey> {
            Set(catalog.fields.filter { $0.specialCategory && AccessPolicy.decide(profile, field: $0.key, catalog: catalog) != .hidden }.map(\.key))
        }
        var profile: AccessProfile
        // A grant is special-category access the profile did not give before.
        var granted = specialShown(asked)
        if let id {
            profile = try await self.profile(id, by: principal)
            try await enforce(SeparationOfDuties.checkProfileChange(profile.id, by: principal.dutyActor), principal, target: "profile \(profile.id)")
            granted.subtract(specialShown(profile))
            profile.name = name
            profile.fields = rules
            profile.capabilities = capabilities
            profile.contextRule = contextRule ?? profile.contextRule
            profile.updatedAt = now
            try await services.profiles.replace(profile)
            services.profileCache.invalidate(profile.id, org: profile.orgID)
        } else {
            profile = AccessProfile(id: .make(at: now), orgID: principal.orgID, name: name, fields: rules,
                                    capabilities: capabilities, contextRule: contextRule ?? .interaction, createdAt: now, updatedAt: now)
            try await services.profiles.create(profile)
        }
        let summary = rules.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.access.rawValue)" }.joined(separator: " ")
        try await record(principal, id == nil ? "profile.create" : "profile.update",
                         context: "profile \(profile.id): \(summary); capabilities \(capabilities.map(\.rawValue).sorted().joined(separator: " ")); context \(profile.contextRule.rawValue)")
        if !granted.isEmpty {
            // Art. 9 data: each grant gets an entry of its own, so a DPO can list every one.
            try await record(principal, "profile.special_categories.grant",
                             context: "profile \(profile.id): \(granted.map(\.rawValue).sorted().joined(separator: " "))")
        }
        return profile
    }

    // MARK: Rules shared by the above

    private func resolveTeam(_ raw: String?, org: OrganizationID) async throws -> TeamID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = TeamID(raw), try await services.teams.find(id, org: org) != nil else { throw GuardlineError.notFound("The team") }
        return id
    }

    private func resolveProfile(_ raw: String?, org: OrganizationID) async throws -> AccessProfileID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = AccessProfileID(raw), try await services.profiles.find(id, org: org) != nil else {
            throw GuardlineError.notFound("The access profile")
        }
        return id
    }

    /// Refuses with 403 when a separation-of-duties rule says no, and records the refusal
    /// (its rule code and the target's id, never free text).
    private func enforce(_ refusal: SeparationOfDuties.Refusal?, _ principal: Principal, target: String) async throws {
        guard let refusal else { return }
        try await record(principal, "admin.refused", context: "\(refusal.rawValue): \(target)")
        throw GuardlineError.forbidden(refusal.message)
    }

    /// The profile a user will hold (their own, else their team's) grants no more than the actor holds.
    private func enforceGrant(profile: AccessProfileID?, team: TeamID?, _ principal: Principal, target: String) async throws {
        var id = profile
        if id == nil, let team { id = try await services.teams.find(team, org: principal.orgID)?.profileID }
        guard let id, let granted = try await services.profiles.find(id, org: principal.orgID) else { return }
        try await enforce(SeparationOfDuties.checkGrant(granted, by: principal.dutyActor), principal, target: target)
    }

    func record(_ principal: Principal, _ action: String, context: String) async throws {
        try await services.audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: services.clock.now, action: action, context: context))
    }

    /// A change and its entry together (`AuditWriter.recording`): on PostgreSQL in one transaction.
    func recording<R: Sendable>(_ principal: Principal, _ action: String, context: String, _ change: (TransactionStep?) async throws -> R) async throws -> R {
        try await services.audit.recording(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: services.clock.now, action: action, context: context), change)
    }


}
