import Foundation
import GuardlineCore
import SQLKit

/// Staff two-step sign-in: each user's sealed TOTP secret (pending until its
/// first code confirms it), the last time step used (so a code is never accepted
/// twice), recovery codes by keyed hash, and the short-lived challenges between
/// a console password check and its code.
public struct MFAStore: Sendable {
    public struct Enrolment: Sendable {
        public let sealedSecret: [UInt8]
        public let createdAt: Date
        public let enabledAt: Date?
        public let lastCounter: Int64
    }

    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func enrolment(user: UserID, org: OrganizationID) async throws -> Enrolment? {
        try await store.reads.raw("""
            SELECT secret, created_at, enabled_at, last_counter FROM staff_mfa
            WHERE user_id = \(bind: user.description) AND org_id = \(bind: org.description)
            """).first().map {
            Enrolment(sealedSecret: try $0.bytes("secret"), createdAt: try $0.date("created_at"), enabledAt: try $0.optionalDate("enabled_at"),
                      lastCounter: try $0.int64("last_counter"))
        }
    }

    /// A new secret awaiting its first code; replaces a pending one, never an enabled one.
    public func savePending(user: UserID, org: OrganizationID, sealedSecret: [UInt8], at date: Date) async throws {
        try await store.transaction { db in
            try await db.raw("DELETE FROM staff_mfa WHERE user_id = \(bind: user.description) AND enabled_at IS NULL").run()
            try await db.raw("""
                INSERT INTO staff_mfa (user_id, org_id, secret, created_at, enabled_at, last_counter)
                VALUES (\(bind: user.description), \(bind: org.description), \(bind: Data(sealedSecret)), \(bind: date.millis), NULL, -1)
                """).run()
        }
    }

    /// Enables the pending secret the code was checked against (`sealedSecret`), its first code
    /// at `counter`, with a fresh set of recovery codes. False if that secret is no longer the
    /// pending one (replaced, or enabled by a concurrent confirmation): nothing changes then.
    public func enable(user: UserID, sealedSecret: [UInt8], counter: Int64, recoveryHashes: [[UInt8]], at date: Date) async throws -> Bool {
        try await store.transaction { db in
            let enabled = try await db.raw("""
                UPDATE staff_mfa SET enabled_at = \(bind: date.millis), last_counter = \(bind: counter)
                WHERE user_id = \(bind: user.description) AND enabled_at IS NULL AND secret = \(bind: Data(sealedSecret))
                RETURNING user_id
                """).all()
            guard !enabled.isEmpty else { return false }
            try await Self.replaceRecoveryCodes(user: user, hashes: recoveryHashes, on: db)
            return true
        }
    }

    /// Records `counter` as used if it is later than the last one: false means a replay.
    public func use(counter: Int64, user: UserID) async throws -> Bool {
        try await !store.writes.raw("""
            UPDATE staff_mfa SET last_counter = \(bind: counter)
            WHERE user_id = \(bind: user.description) AND enabled_at IS NOT NULL AND last_counter < \(bind: counter)
            RETURNING user_id
            """).all().isEmpty
    }

    /// Spends a recovery code; false if it is unknown or already used.
    public func useRecoveryCode(hash: [UInt8], user: UserID, at date: Date) async throws -> Bool {
        try await !store.writes.raw("""
            UPDATE staff_recovery_code SET used_at = \(bind: date.millis)
            WHERE user_id = \(bind: user.description) AND code_hash = \(bind: Data(hash)) AND used_at IS NULL
            RETURNING user_id
            """).all().isEmpty
    }

    public func unusedRecoveryCodes(user: UserID) async throws -> Int {
        try await store.reads.raw("""
            SELECT count(*) AS n FROM staff_recovery_code WHERE user_id = \(bind: user.description) AND used_at IS NULL
            """).first().map { Int(try $0.int64("n")) } ?? 0
    }

    /// Turns two-step sign-in off for a user (an admin resetting a lost device).
    public func remove(user: UserID, org: OrganizationID) async throws {
        try await store.transaction { db in
            try await db.raw("DELETE FROM staff_mfa WHERE user_id = \(bind: user.description) AND org_id = \(bind: org.description)").run()
            try await db.raw("DELETE FROM staff_recovery_code WHERE user_id = \(bind: user.description)").run()
        }
    }

    static func replaceRecoveryCodes(user: UserID, hashes: [[UInt8]], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM staff_recovery_code WHERE user_id = \(bind: user.description)").run()
        for hash in hashes {
            try await db.raw("""
                INSERT INTO staff_recovery_code (user_id, code_hash, used_at) VALUES (\(bind: user.description), \(bind: Data(hash)), NULL)
                """).run()
        }
    }

    // MARK: Console challenges

    /// A password checked in the console, waiting for its code (keyed hash of the cookie).
    public func insertChallenge(hash: [UInt8], user: UserID, org: OrganizationID, at date: Date) async throws {
        try await store.writes.raw("""
            INSERT INTO mfa_challenge (token_hash, org_id, user_id, created_at)
            VALUES (\(bind: Data(hash)), \(bind: org.description), \(bind: user.description), \(bind: date.millis))
            """).run()
    }

    /// The challenge's user if it is younger than `lifetime`; expired ones are deleted.
    public func challenge(hash: [UInt8], now: Date, lifetime: TimeInterval) async throws -> (user: UserID, org: OrganizationID)? {
        try await store.writes.raw("DELETE FROM mfa_challenge WHERE created_at < \(bind: now.addingTimeInterval(-lifetime).millis)").run()
        return try await store.reads.raw("SELECT user_id, org_id FROM mfa_challenge WHERE token_hash = \(bind: Data(hash))").first().map {
            (try $0.id("user_id"), try $0.id("org_id"))
        }
    }

    public func deleteChallenge(hash: [UInt8]) async throws {
        try await store.writes.raw("DELETE FROM mfa_challenge WHERE token_hash = \(bind: Data(hash))").run()
    }
}
