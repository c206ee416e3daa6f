import Foundation
import GuardlineCore
import GuardlineStore
import Hummingbird

/// A person's own API tokens in the console: list, create (shown once), revoke.
/// Signed in with a session, a token may live up to the server's maximum; created
/// through the API with a token, it may not outlive that token (`Authenticator.createToken`).
struct AccountTokensController {
    typealias Context = GuardlineRequestContext
    static let path = "/account/tokens"

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(RouterPath(stringLiteral: Self.path)) { _, context in try await show(context) }
        group.post(RouterPath(stringLiteral: Self.path)) { request, context in try await create(request, context) }
        group.post(RouterPath(stringLiteral: Self.path + "/:id/revoke")) { _, context in try await revoke(context) }
    }

    private func show(_ context: Context, created: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let tokens = try await services.credentials.tokens(user: principal.user.id, org: principal.orgID)
        let formatter = ISO8601DateFormatter()
        return views.render("account-tokens", TokensPage(
            chrome: Chrome(principal, csrf: csrf, current: Self.path),
            tokens: tokens.map {
                .init(id: $0.id.description, name: $0.name, scopes: $0.scopes.map(\.rawValue).sorted().joined(separator: " "),
                      expires: formatter.string(from: $0.expiresAt), lastUsed: $0.lastUsedAt.map(formatter.string(from:)) ?? "never")
            },
            scopes: principal.authorization.grantableScopes.map(\.rawValue).sorted(),
            maxDays: services.configuration.maxTokenLifetimeDays, created: created, error: error), status: status)
    }

    private func create(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        let scopes = Set(TokenScope.allCases.filter { form["scope_\($0.rawValue)"] == "on" })
        do {
            let name = try TextRules.required(form["name"] ?? "", "name", max: 200)
            guard !scopes.isEmpty else { throw GuardlineError.invalid("Choose at least one scope.") }
            guard let days = Int(form.text("days") ?? "") else { throw GuardlineError.invalid("Give the number of days until the token expires.") }
            // A session alone does not mint months of API access: the password confirms it is its owner.
            try await services.authenticator.confirmPassword(form["password"] ?? "", of: principal.user)
            let (token, _) = try await services.authenticator.createToken(name: name, scopes: scopes, expiresInDays: days, by: principal)
            return try await show(context, created: token)
        } catch let failure as GuardlineError where failure.code == .invalidInput || failure.code == .forbidden {
            return try await show(context, error: failure.message, status: failure.code == .forbidden ? .forbidden : .badRequest)
        }
    }

    private func revoke(_ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        try await services.authenticator.revokeToken(context.parameters.get("id") ?? "", by: principal)
        return ConsolePage.redirect(Self.path)
    }
}

struct TokensPage {
    struct Token {
        let id: String
        let name: String
        let scopes: String
        let expires: String
        let lastUsed: String
    }

    let chrome: Chrome
    let tokens: [Token]
    let scopes: [String]
    let maxDays: Int
    let created: String?
    let error: String?
}
