import Foundation
import GuardlineCore
import Hummingbird

/// Users, teams and access profiles for admins, through `Administration`
/// (the same rules and audit as the API).
struct AdminConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews
    var administration: Administration { Administration(services) }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/admin/users") { _, context in try await users(context, error: nil) }
        group.post("/admin/users") { request, context in try await createUser(request, context) }
        group.get("/admin/teams") { _, context in try await teams(context, error: nil) }
        group.post("/admin/teams") { request, context in try await createTeam(request, context) }
        group.get("/admin/profiles") { _, context in try await profiles(context) }
        group.get("/admin/profiles/new") { _, context in try await profileForm(context, id: nil, error: nil) }
        group.post("/admin/profiles") { request, context in try await saveProfile(request, context, id: nil) }
        group.get("/admin/profiles/:id") { _, context in try await profileForm(context, id: context.parameters.get("id"), error: nil) }
        group.post("/admin/profiles/:id") { request, context in try await saveProfile(request, context, id: context.parameters.get("id")) }
    }

    private func users(_ context: Context, error: String?) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let users = try await administration.users(by: principal)
        let teams = try await administration.teams(by: principal)
        let profiles = try await services.profiles.all(org: principal.orgID)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id, $0.name) })
        let profileNames = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0.name) })
        return views.render("admin-users", UsersPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/users"),
            users: users.map {
                .init(email: $0.email, name: $0.name, role: $0.role.label, team: $0.teamID.flatMap { teamNames[$0] } ?? "—",
                      profile: $0.profileID.flatMap { profileNames[$0] } ?? "team's", disabled: $0.disabled)
            },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            teams: teams.map { .init(value: $0.id.description, label: $0.name) }, error: error),
            status: error == nil ? .ok : .badRequest)
    }

    private func createUser(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            _ = try await administration.createUser(.init(
                email: form.text("email") ?? "", name: form.text("name") ?? "", password: form["password"] ?? "",
                role: Role(rawValue: form["role"] ?? "") ?? .agent, teamID: form.text("teamId"), profileID: nil), by: principal)
            return ConsolePage.redirect("/admin/users")
        } catch let failure as GuardlineError where [.invalidInput, .conflict, .notFound].contains(failure.code) {
            return try await users(context, error: failure.message)
        }
    }

    private func teams(_ context: Context, error: String?) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let teams = try await administration.teams(by: principal)
        let users = try await administration.users(by: principal)
        let profiles = try await services.profiles.all(org: principal.orgID)
        let profileNames = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0.name) })
        return views.render("admin-teams", TeamsPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/teams"),
            teams: teams.map { team in
                .init(name: team.name, profile: profileNames[team.profileID] ?? "—", members: users.filter { $0.teamID == team.id }.count)
            },
            profiles: profiles.map { .init(value: $0.id.description, label: $0.name) }, error: error),
            status: error == nil ? .ok : .badRequest)
    }

    private func createTeam(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            _ = try await administration.createTeam(name: form.text("name") ?? "", profileID: form.text("profileId") ?? "", by: principal)
            return ConsolePage.redirect("/admin/teams")
        } catch let failure as GuardlineError where [.invalidInput, .conflict, .notFound].contains(failure.code) {
            return try await teams(context, error: failure.message)
        }
    }

    private func profiles(_ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let profiles = try await administration.profiles(by: principal)
        return views.render("admin-profiles", ProfilesPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/profiles"),
            profiles: profiles.map { profile in
                let shown = profile.fields.filter { $0.value.access != .hidden }.sorted { $0.key < $1.key }
                return .init(
                    id: profile.id.description, name: profile.name,
                    summary: shown.isEmpty ? "no fields" : shown.map { "\($0.key) \($0.value.access.rawValue)" }.joined(separator: ", "),
                    capabilities: profile.capabilities.map(\.rawValue).sorted().joined(separator: ", "))
            }))
    }

    private func profileForm(_ context: Context, id: String?, error: String?, draft: AccessProfile? = nil) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try principal.require(.manageProfiles, to: "manage access profiles")
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        var profile = draft
        if profile == nil, let id { profile = try await administration.profile(id, by: principal) }
        return views.render("admin-profile-form", ProfileFormPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/profiles"),
            title: id == nil ? "New access profile" : "Edit access profile",
            action: id.map { "/admin/profiles/\($0)" } ?? "/admin/profiles", profile: profile, catalog: catalog, error: error),
            status: error == nil ? .ok : .badRequest)
    }

    private func saveProfile(_ request: Request, _ context: Context, id: String?) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        var rules: [String: FieldRule] = [:]
        for key in catalog.keys {
            let access = FieldAccess(rawValue: form["access.\(key)"] ?? "") ?? .hidden
            guard access != .hidden else { continue }
            rules[key.rawValue] = FieldRule(access: access, mask: MaskFormat(rawValue: form["mask.\(key)"] ?? "") ?? .redacted)
        }
        let capabilities = Set(Capability.allCases.filter { form["cap.\($0.rawValue)"] != nil })
        let contextRule = ContextRule(rawValue: form["contextRule"] ?? "") ?? .interaction
        do {
            _ = try await administration.saveProfile(
                id, name: form.text("name") ?? "", fields: rules, capabilities: capabilities, contextRule: contextRule, by: principal)
            return ConsolePage.redirect("/admin/profiles")
        } catch let failure as GuardlineError where [.invalidInput, .conflict].contains(failure.code) {
            let draft = AccessProfile(
                id: .make(), orgID: principal.orgID, name: form.text("name") ?? "",
                fields: Dictionary(uniqueKeysWithValues: rules.map { (FieldKey($0.key), $0.value) }), capabilities: capabilities,
                contextRule: contextRule, createdAt: Date(), updatedAt: Date())
            return try await profileForm(context, id: id, error: failure.message, draft: draft)
        }
    }
}
