import Foundation
import GuardlineCore
import SQLKit

/// A bearer token as stored: its keyed hash, never the token.
public struct StoredToken: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Issued by `POST /auth/login`, carries the user's full rights.
        case login
        /// Created for an integration, with chosen scopes.
        case integration
    }

    public var id: APITokenID
    public var orgID: OrganizationID
    public var userID: UserID
    public var name: String
    public var kind: Kind
    public var scopes: Set<TokenScope>
    public var createdAt: Date
    /// Every token expires (migration 6 gave the older ones 90 days).
    public var expiresAt: Date
    public var lastUsedAt: Date?

    public init(
        id: APITokenID, orgID: OrganizationID, userID: UserID, name: String, kind: Kind, scopes: Set<TokenScope>,
        createdAt: Date, expiresAt: Date, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.userID = userID
        self.name = name
        self.kind = kind
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}

/// A console session: the cookie's hash, its CSRF token and when it was last used.
public struct ConsoleSession: Sendable, Equatable {
    public var orgID: OrganizationID
    public var userID: UserID
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date

    public init(orgID: OrganizationID, userID: UserID, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.orgID = orgID
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// Bearer tokens and console sessions, looked up by keyed hash.
public struct CredentialStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func insert(_ token: StoredToken, hash: [UInt8]) async throws {
        let scopes = token.scopes.map(\.rawValue).sorted().joined(separator: " ")
        try await store.writes.raw("""
            INSERT INTO api_token (id, org_id, user_id, name, kind, token_hash, scopes, created_at, expires_at)
            VALUES (\(bind: token.id.description), \(bind: token.orgID.description), \(bind: token.userID.description),
                    \(bind: token.name), \(bind: token.kind.rawValue), \(bind: Data(hash)), \(bind: scopes),
                    \(bind: token.createdAt.millis), \(bind: token.expiresAt.millis))
            """).run()
    }

    /// The live token with this hash, marking it used; `stamped` says whether
    /// this use was recorded (at most once a minute per token).
    public func token(hash: [UInt8], now: Date) async throws -> (token: StoredToken, stamped: Bool)? {
        guard let row = try await store.reads.raw("""
            SELECT * FROM api_token WHERE token_hash = \(bind: Data(hash)) AND revoked_at IS NULL
            AND expires_at > \(bind: now.millis)
            """).first()
        else { return nil }
        let token = try Self.token(row)
        // Coarse last-use stamp: at most one write a minute per token keeps the hot path read-only.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await store.writes.raw("""
                UPDATE api_token SET last_used_at = \(bind: now.millis) WHERE id = \(bind: token.id.description)
                """).run()
            return (token, true)
        }
        return (token, false)
    }

    public func tokens(user: UserID, org: OrganizationID) async throws -> [StoredToken] {
        try await store.reads.raw("""
            SELECT * FROM api_token WHERE user_id = \(bind: user.description) AND org_id = \(bind: org.description)
            AND kind = 'integration' AND revoked_at IS NULL ORDER BY created_at
            """).all().map(Self.token)
    }

    /// Revokes a token of this user; false if there is none.
    @discardableResult
    public func revoke(_ id: APITokenID, user: UserID, org: OrganizationID, now: Date) async throws -> Bool {
        let rows = try await store.writes.raw("""
            UPDATE api_token SET revoked_at = \(bind: now.millis)
            WHERE id = \(bind: id.description) AND user_id = \(bind: user.description) AND org_id = \(bind: org.description)
            AND revoked_at IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func revokeAll(user: UserID, now: Date) async throws {
        try await store.writes.raw("""
            UPDATE api_token SET revoked_at = \(bind: now.millis) WHERE user_id = \(bind: user.description) AND revoked_at IS NULL
            """).run()
        try await store.writes.raw("DELETE FROM console_session WHERE user_id = \(bind: user.description)").run()
    }

    public func insertSession(hash: [UInt8], _ session: ConsoleSession) async throws {
        try await store.writes.raw("""
            INSERT INTO console_session (token_hash, org_id, user_id, csrf_token, created_at, last_seen_at)
            VALUES (\(bind: Data(hash)), \(bind: session.orgID.description), \(bind: session.userID.description),
                    \(bind: session.csrfToken), \(bind: session.createdAt.millis), \(bind: session.lastSeenAt.millis))
            """).run()
    }

    /// The session if it was used within `idleTimeout` and began within `lifetime`;
    /// refreshes its last use, deletes it if expired.
    public func session(hash: [UInt8], now: Date, idleTimeout: TimeInterval, lifetime: TimeInterval) async throws -> ConsoleSession? {
        guard let row = try await store.reads.raw("SELECT * FROM console_session WHERE token_hash = \(bind: Data(hash))").first() else {
            return nil
        }
        let session = ConsoleSession(
            orgID: try row.id("org_id"), userID: try row.id("user_id"), csrfToken: try row.string("csrf_token"),
            createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"))
        guard now.timeIntervalSince(session.lastSeenAt) <= idleTimeout, now.timeIntervalSince(session.createdAt) <= lifetime else {
            try await deleteSession(hash: hash)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 30 {
            try await store.writes.raw("""
                UPDATE console_session SET last_seen_at = \(bind: now.millis) WHERE token_hash = \(bind: Data(hash))
                """).run()
        }
        return session
    }

    public func deleteSession(hash: [UInt8]) async throws {
        try await store.writes.raw("DELETE FROM console_session WHERE token_hash = \(bind: Data(hash))").run()
    }

    static func token(_ row: any SQLRow) throws -> StoredToken {
        StoredToken(
            id: try row.id("id"), orgID: try row.id("org_id"), userID: try row.id("user_id"), name: try row.string("name"),
            kind: StoredToken.Kind(rawValue: try row.string("kind")) ?? .integration,
            scopes: Set(try row.string("scopes").split(separator: " ").compactMap { TokenScope(rawValue: String($0)) }),
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
            lastUsedAt: try row.optionalDate("last_used_at"))
    }
}
