import Foundation
import GuardlineAPI
import GuardlineCore

extension APIController {
    // MARK: Users

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let users = try await administration.users(by: try Principal.required())
        return .ok(.init(body: .json(.init(items: users.map(Self.user)))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let user = try await administration.createUser(
            .init(email: body.email, name: body.name, password: body.password, role: Role(rawValue: body.role.rawValue)!,
                  teamID: try Self.identifier(body.teamId, "teamId"), profileID: try Self.identifier(body.profileId, "profileId")),
            by: principal)
        return .created(.init(body: .json(Self.user(user))))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let user = try await administration.user(input.path.userId, by: try Principal.required())
        return .ok(.init(body: .json(Self.user(user))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let changes = Administration.UserChanges(
            name: body.name, role: body.role.flatMap { Role(rawValue: $0.rawValue) },
            teamID: body.teamId.map { .some($0) }, profileID: body.profileId.map { .some($0) },
            disabled: body.disabled, password: body.password)
        let user = try await administration.updateUser(input.path.userId, changes, by: principal)
        return .ok(.init(body: .json(Self.user(user))))
    }

    // MARK: Teams

    func listTeams(_ input: Operations.ListTeams.Input) async throws -> Operations.ListTeams.Output {
        let teams = try await administration.teams(by: try Principal.required())
        return .ok(.init(body: .json(.init(items: teams.map(Self.team)))))
    }

    func createTeam(_ input: Operations.CreateTeam.Input) async throws -> Operations.CreateTeam.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let team = try await administration.createTeam(name: body.name, profileID: try Self.identifier(body.profileId, "profileId") ?? "", by: principal)
        return .created(.init(body: .json(Self.team(team))))
    }

    func updateTeam(_ input: Operations.UpdateTeam.Input) async throws -> Operations.UpdateTeam.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let team = try await administration.updateTeam(
            input.path.teamId, name: body.name, profileID: try Self.identifier(body.profileId, "profileId"), by: principal)
        return .ok(.init(body: .json(Self.team(team))))
    }

    // MARK: Access profiles

    func listAccessProfiles(_ input: Operations.ListAccessProfiles.Input) async throws -> Operations.ListAccessProfiles.Output {
        let profiles = try await administration.profiles(by: try Principal.required())
        return .ok(.init(body: .json(.init(items: profiles.map(Self.profile)))))
    }

    func createAccessProfile(_ input: Operations.CreateAccessProfile.Input) async throws -> Operations.CreateAccessProfile.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let profile = try await saveProfile(nil, body, by: principal)
        return .created(.init(body: .json(Self.profile(profile))))
    }

    func getAccessProfile(_ input: Operations.GetAccessProfile.Input) async throws -> Operations.GetAccessProfile.Output {
        let profile = try await administration.profile(input.path.profileId, by: try Principal.required())
        return .ok(.init(body: .json(Self.profile(profile))))
    }

    func replaceAccessProfile(_ input: Operations.ReplaceAccessProfile.Input) async throws -> Operations.ReplaceAccessProfile.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let profile = try await saveProfile(input.path.profileId, body, by: principal)
        return .ok(.init(body: .json(Self.profile(profile))))
    }

    private func saveProfile(_ id: String?, _ body: Components.Schemas.AccessProfileInput, by principal: Principal) async throws -> AccessProfile {
        try CatalogRules.checkProfileSize(fieldRules: body.fields.additionalProperties.count, capabilities: body.capabilities.count)
        return try await administration.saveProfile(
            id, name: body.name, fields: body.fields.additionalProperties.mapValues(Self.rule),
            capabilities: Set(body.capabilities.compactMap { Capability(rawValue: $0.rawValue) }),
            contextRule: body.contextRule.flatMap { ContextRule(rawValue: $0.rawValue) }, by: principal)
    }

    // MARK: Catalog

    func listFields(_ input: Operations.ListFields.Input) async throws -> Operations.ListFields.Output {
        let principal = try Principal.required()
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        return .ok(.init(body: .json(.init(items: catalog.fields.map(Self.field)))))
    }

    func createField(_ input: Operations.CreateField.Input) async throws -> Operations.CreateField.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let field = DataField(key: FieldKey(body.key), label: body.label, category: body.category,
                              specialCategory: body.specialCategory ?? false, purposes: body.purposes ?? [], stages: body.stages ?? [])
        try await administration.addField(field, by: principal)
        return .created(.init(body: .json(Self.field(field))))
    }

    func listPurposes(_ input: Operations.ListPurposes.Input) async throws -> Operations.ListPurposes.Output {
        let principal = try Principal.required()
        return .ok(.init(body: .json(.init(items: try await services.catalog.purposes(org: principal.orgID).map(Self.purpose)))))
    }

    func createPurpose(_ input: Operations.CreatePurpose.Input) async throws -> Operations.CreatePurpose.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let purpose = Purpose(key: body.key, name: body.name, description: body.description,
                              lawfulBasis: LawfulBasis(rawValue: body.lawfulBasis.rawValue)!, retentionDays: body.retentionDays,
                              channels: body.channels.map(Self.channels) ?? ContactChannel.allCases, stages: body.stages ?? [],
                              active: body.active ?? true)
        try await administration.addPurpose(purpose, by: principal)
        return .created(.init(body: .json(Self.purpose(purpose))))
    }

    func replacePurpose(_ input: Operations.ReplacePurpose.Input) async throws -> Operations.ReplacePurpose.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let purpose = Purpose(key: input.path.purposeKey, name: body.name, description: body.description,
                              lawfulBasis: LawfulBasis(rawValue: body.lawfulBasis.rawValue)!, retentionDays: body.retentionDays,
                              channels: body.channels.map(Self.channels) ?? ContactChannel.allCases, stages: body.stages ?? [],
                              active: body.active ?? true)
        try await administration.replacePurpose(purpose, by: principal)
        return .ok(.init(body: .json(Self.purpose(purpose))))
    }

    func listCatalogWarnings(_ input: Operations.ListCatalogWarnings.Input) async throws -> Operations.ListCatalogWarnings.Output {
        let principal = try Principal.required()
        let warnings = try await administration.minimizationWarnings(by: principal)
        return .ok(.init(body: .json(.init(items: warnings.map { .init(field: $0.field.rawValue, message: $0.message) }))))
    }

    func listStages(_ input: Operations.ListStages.Input) async throws -> Operations.ListStages.Output {
        let principal = try Principal.required()
        return .ok(.init(body: .json(.init(items: try await services.catalog.stages(org: principal.orgID).map { .init(key: $0.key, label: $0.label) }))))
    }

    func replaceStages(_ input: Operations.ReplaceStages.Input) async throws -> Operations.ReplaceStages.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        try await administration.setStages(body.items.map { JourneyStage(key: $0.key, label: $0.label) }, by: principal)
        return .ok(.init(body: .json(.init(items: try await services.catalog.stages(org: principal.orgID).map { .init(key: $0.key, label: $0.label) }))))
    }

    static func channels(_ channels: [Components.Schemas.ContactChannel]) -> [ContactChannel] {
        channels.map { ContactChannel(rawValue: $0.rawValue)! }
    }
}
