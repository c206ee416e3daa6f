import Foundation
import GuardlineAPI
import GuardlineCore
import GuardlineStore
import OpenAPIRuntime

/// The JSON API: implements the protocol generated from `openapi.json`.
/// Thin by design: decode, call the directory or administration, encode.
/// Failures are thrown as `GuardlineError` and rendered as problem+json by
/// `ProblemMiddleware`, so no handler builds error responses itself.
struct APIController: APIProtocol {
    let services: GuardlineServices
    var administration: Administration { Administration(services) }

    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let user = try await services.authenticator.signIn(email: body.email, password: body.password, channel: "api")
        let secondFactor = try await services.mfa.secondStep(for: user, code: body.code)
        try await services.authenticator.recordSignIn(user, channel: "api", secondFactor: secondFactor)
        let (token, expires) = try await services.authenticator.issueLoginToken(for: user)
        return .ok(.init(body: .json(.init(token: token, expiresAt: expires, user: Self.user(user)))))
    }

    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        let principal = try Principal.required()
        try await services.authenticator.revoke(principal.credential, principal: principal)
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let principal = try Principal.required()
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        // What the policy decides, not the raw rules: an Art. 9 field named without the capability is hidden.
        var rules: [String: Components.Schemas.FieldRule] = [:]
        for key in catalog.keys {
            let rule: FieldRule = switch AccessPolicy.decide(principal.profile, field: key, catalog: catalog) {
            case .hidden: .hidden
            case .masked(let format): .masked(format)
            case .visible: .visible
            case .editable: .editable
            }
            rules[key.rawValue] = Self.rule(rule)
        }
        return .ok(.init(body: .json(.init(
            user: Self.user(principal.user), fields: .init(additionalProperties: rules),
            capabilities: Self.capabilities(principal.authorization.capabilities)))))
    }
}

/// Parsing of path and query values shared by the handlers.
extension APIController {
    static func id<T>(_ raw: String, _ what: String) throws -> Identifier<T> {
        guard let id = Identifier<T>(raw) else { throw GuardlineError.notFound(what) }
        return id
    }

    /// An id given in a body where the document says `uuid`: absent is fine, anything but a UUID is not.
    static func identifier(_ raw: String?, _ name: String) throws -> String? {
        guard let raw else { return nil }
        guard UUID(canonical: raw) != nil else { throw GuardlineError.invalid("'\(name)' must be an id (a UUID).") }
        return raw
    }

    /// A page cursor this API handed out: an id, or absent.
    static func cursor<T>(_ raw: String?) throws -> Identifier<T>? {
        guard let raw = try bounded(raw, "cursor", max: 200) else { return nil }
        guard let id = Identifier<T>(raw) else { throw GuardlineError.invalid("The cursor is not one this API handed out.") }
        return id
    }

    static func limit(_ raw: Int?) throws -> Int {
        let limit = raw ?? 50
        guard (1...200).contains(limit) else { throw GuardlineError.invalid("'limit' must be between 1 and 200.") }
        return limit
    }

    static func bounded(_ value: String?, _ name: String, max: Int) throws -> String? {
        try TextRules.bounded(value, name, max: max)
    }
}
