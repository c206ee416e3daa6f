import Foundation
import GuardlineAPI
import GuardlineCore
import GuardlineStore

extension APIController {
    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let principal = try Principal.required()
        try principal.require(.readAudit, to: "read the audit log")
        let query = input.query
        var filter = AuditLog.Query(limit: try Self.limit(query.limit))
        if let contact = query.contactId {
            guard let id = ContactID(contact) else { throw GuardlineError.invalid("'contactId' must be a UUID.") }
            filter.contactID = id
        }
        if let actor = query.actorId {
            guard UUID(uuidString: actor) != nil else { throw GuardlineError.invalid("'actorId' must be a UUID.") }
            filter.actorID = actor.lowercased()
        }
        filter.action = try Self.bounded(query.action, "action", max: 100)
        if let cursor = try Self.bounded(query.cursor, "cursor", max: 200) {
            guard let seq = Int64(cursor), seq > 0 else { throw GuardlineError.invalid("The cursor is not one this API handed out.") }
            filter.before = seq
        }
        let entries = try await services.auditLog.entries(org: principal.orgID, filter)
        let next = entries.count == filter.limit ? entries.last.map { String($0.seq) } : nil
        return .ok(.init(body: .json(.init(items: entries.map(Self.auditEntry), nextCursor: next))))
    }

    func verifyAudit(_ input: Operations.VerifyAudit.Input) async throws -> Operations.VerifyAudit.Output {
        let principal = try Principal.required()
        try principal.require(.readAudit, to: "verify the audit log")
        let report = try await services.verification.verify(org: principal.orgID, incremental: input.query.full != true)
        return .ok(.init(body: .json(.init(
            intact: report.intact, checked: report.checked, firstBadSeq: report.failure?.seq,
            problem: report.failure?.problem, lastCheckpointSeq: report.lastCheckpointSeq))))
    }

    // MARK: Tokens

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let principal = try Principal.required()
        let tokens = try await services.credentials.tokens(user: principal.user.id, org: principal.orgID)
        return .ok(.init(body: .json(.init(items: tokens.map(Self.token)))))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let name = try TextRules.required(body.name, "name", max: 200)
        guard !body.scopes.isEmpty else { throw GuardlineError.invalid("A token needs at least one scope.") }
        guard Set(body.scopes).count == body.scopes.count else { throw GuardlineError.invalid("'scopes' names a scope twice.") }
        let scopes = Set(body.scopes.compactMap { TokenScope(rawValue: $0.rawValue) })
        let (token, stored) = try await services.authenticator.createToken(
            name: name, scopes: scopes, expiresInDays: body.expiresInDays, by: principal)
        return .created(.init(body: .json(.init(token: token, apiToken: Self.token(stored)))))
    }

    func deleteToken(_ input: Operations.DeleteToken.Input) async throws -> Operations.DeleteToken.Output {
        try await services.authenticator.revokeToken(input.path.tokenId, by: try Principal.required())
        return .noContent(.init())
    }
}
