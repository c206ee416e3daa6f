import Foundation
import GuardlineCore
import SQLKit

/// The privacy portal's one-time codes and sessions. A code is kept as a keyed hash, a
/// session as the hash of its cookie; neither row holds the address it was sent to. A
/// challenge for an address nobody holds is stored like any other, with no contact, so
/// it behaves the same until it runs out.
public struct PortalStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public struct Challenge: Sendable {
        public var id: String
        public var orgID: OrganizationID
        /// Nil when the address belongs to nobody (or to more than one person).
        public var contactID: ContactID?
        /// `email` or `sms`: how the code was sent, recorded as the verification method.
        public var channel: String
        /// A keyed hash of the address the code went to: failed tries are counted per address.
        public var addressKey: [UInt8]
        public var codeHash: [UInt8]
        public var attemptsLeft: Int
        public var expiresAt: Date
        public var createdAt: Date

        public init(
            id: String, orgID: OrganizationID, contactID: ContactID?, channel: String, addressKey: [UInt8], codeHash: [UInt8], attemptsLeft: Int,
            expiresAt: Date, createdAt: Date
        ) {
            self.addressKey = addressKey
            self.id = id
            self.orgID = orgID
            self.contactID = contactID
            self.channel = channel
            self.codeHash = codeHash
            self.attemptsLeft = attemptsLeft
            self.expiresAt = expiresAt
            self.createdAt = createdAt
        }
    }

    public struct Session: Sendable {
        public var tokenHash: [UInt8]
        public var orgID: OrganizationID
        public var contactID: ContactID
        public var channel: String
        public var csrf: String
        public var language: String
        public var expiresAt: Date
        public var createdAt: Date

        public init(tokenHash: [UInt8], orgID: OrganizationID, contactID: ContactID, channel: String, csrf: String, language: String, expiresAt: Date, createdAt: Date) {
            self.tokenHash = tokenHash
            self.orgID = orgID
            self.contactID = contactID
            self.channel = channel
            self.csrf = csrf
            self.language = language
            self.expiresAt = expiresAt
            self.createdAt = createdAt
        }
    }

    /// Stores a code sent, clearing out codes and sessions that expired.
    public func open(_ c: Challenge) async throws {
        try await store.transaction { db in
            // Expired codes are kept a day: their spent tries count against the address (`spendAttempt`).
            try await db.raw("DELETE FROM portal_challenge WHERE expires_at < \(bind: c.createdAt.addingTimeInterval(-86_400).millis)").run()
            try await db.raw("DELETE FROM portal_session WHERE expires_at < \(bind: c.createdAt.millis)").run()
            try await db.raw("""
                INSERT INTO portal_challenge (id, org_id, contact_id, channel, address_key, code_hash, attempts_left, expires_at, created_at)
                VALUES (\(bind: c.id), \(bind: c.orgID.description), \(bind: c.contactID?.description), \(bind: c.channel),
                        \(bind: Data(c.addressKey)), \(bind: Data(c.codeHash)),
                        \(bind: c.attemptsLeft), \(bind: c.expiresAt.millis), \(bind: c.createdAt.millis))
                """).run()
        }
    }

    /// Spends one attempt on a live challenge and hands it back to be checked, under a lock
    /// on its row, so parallel guesses each cost one. Nil when there is no such challenge,
    /// it expired or its attempts are spent, or when `failuresPerDay` tries were already
    /// spent on codes to the same address in the last day (then a code works again tomorrow).
    public func spendAttempt(_ id: String, org: OrganizationID, now: Date, attempts: Int, failuresPerDay: Int) async throws -> Challenge? {
        let lock = store.engine == .postgres ? " FOR UPDATE" : ""
        return try await store.transaction { db in
            guard let row = try await db.raw("""
                SELECT * FROM portal_challenge WHERE id = \(bind: id) AND org_id = \(bind: org.description)\(unsafeRaw: lock)
                """).first()
            else { return nil }
            var challenge = try Self.challenge(row)
            // A spent or expired challenge stays a day (`open` clears it): its tries still count against the address.
            guard challenge.attemptsLeft > 0, challenge.expiresAt > now else { return nil }
            let spent = try await db.raw("""
                SELECT attempts_left FROM portal_challenge
                WHERE org_id = \(bind: org.description) AND address_key = \(bind: Data(challenge.addressKey))
                  AND created_at > \(bind: now.addingTimeInterval(-86_400).millis)
                """).all().reduce(0) { $0 + attempts - (try $1.decode(column: "attempts_left", as: Int.self)) }
            guard spent < failuresPerDay else { return nil }
            challenge.attemptsLeft -= 1
            try await db.raw("UPDATE portal_challenge SET attempts_left = \(bind: challenge.attemptsLeft) WHERE id = \(bind: id)").run()
            return challenge
        }
    }

    /// A code used is gone, so it opens one session only.
    public func close(_ id: String) async throws -> Bool {
        try await store.transaction { db in
            try await db.raw("DELETE FROM portal_challenge WHERE id = \(bind: id) RETURNING id").all().count == 1
        }
    }

    public func start(_ s: Session, step: TransactionStep? = nil) async throws {
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO portal_session (token_hash, org_id, contact_id, channel, csrf, language, expires_at, created_at)
                VALUES (\(bind: Data(s.tokenHash)), \(bind: s.orgID.description), \(bind: s.contactID.description), \(bind: s.channel),
                        \(bind: s.csrf), \(bind: s.language), \(bind: s.expiresAt.millis), \(bind: s.createdAt.millis))
                """).run()
            try await step?(db)
        }
    }

    /// A live session by the hash of its cookie.
    public func session(_ tokenHash: [UInt8], now: Date) async throws -> Session? {
        try await store.reads.raw("""
            SELECT * FROM portal_session WHERE token_hash = \(bind: Data(tokenHash)) AND expires_at > \(bind: now.millis)
            """).first().map(Self.session)
    }

    public func setLanguage(_ language: String, of tokenHash: [UInt8]) async throws {
        try await store.transaction { db in
            try await db.raw("UPDATE portal_session SET language = \(bind: language) WHERE token_hash = \(bind: Data(tokenHash))").run()
        }
    }

    public func end(_ tokenHash: [UInt8]) async throws {
        try await store.transaction { db in
            try await db.raw("DELETE FROM portal_session WHERE token_hash = \(bind: Data(tokenHash))").run()
        }
    }

    static func challenge(_ row: any SQLRow) throws -> Challenge {
        Challenge(
            id: try row.string("id"), orgID: try row.id("org_id"), contactID: try row.optionalID("contact_id"), channel: try row.string("channel"),
            addressKey: try row.bytes("address_key"), codeHash: try row.bytes("code_hash"), attemptsLeft: try row.decode(column: "attempts_left", as: Int.self),
            expiresAt: try row.date("expires_at"), createdAt: try row.date("created_at"))
    }

    static func session(_ row: any SQLRow) throws -> Session {
        Session(
            tokenHash: try row.bytes("token_hash"), orgID: try row.id("org_id"), contactID: try row.id("contact_id"), channel: try row.string("channel"),
            csrf: try row.string("csrf"), language: try row.string("language"), expiresAt: try row.date("expires_at"), createdAt: try row.date("created_at"))
    }
}
