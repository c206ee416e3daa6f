import Foundation
import GuardlineCore
import SQLKit

/// Sign-in attempts, counted in the database so that every server process
/// shares one allowance (PostgreSQL) and memory stays flat whatever an
/// attacker sprays: rows older than the window are deleted as new ones come.
/// Keys are keyed hashes (of an account's email, of a source address), never
/// the values themselves.
public struct LoginAttemptStore: Sendable {
    /// One counter an attempt is charged to, and how many attempts it allows per window.
    public struct Allowance: Sendable {
        public let key: [UInt8]
        public let limit: Int

        public init(key: [UInt8], limit: Int) {
            self.key = key
            self.limit = limit
        }
    }

    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Charges an attempt to every allowance before the password is checked, so
    /// parallel guesses are counted as they arrive. Returns nil if the attempt may
    /// go on, or when the earliest exhausted allowance frees up again; a refused
    /// attempt is not charged.
    public func reserve(_ allowances: [Allowance], attempt: [UInt8], now: Date, window: TimeInterval) async throws -> Date? {
        let since = now.addingTimeInterval(-window).millis
        let engine = store.engine
        return try await store.transaction { db in
            // Servers sharing PostgreSQL take turns here; SQLite's writer already serializes.
            if engine == .postgres { try await db.raw("LOCK TABLE login_attempt IN SHARE ROW EXCLUSIVE MODE").run() }
            try await db.raw("DELETE FROM login_attempt WHERE at <= \(bind: since)").run()
            var retry: Date?
            for allowance in allowances {
                let rows = try await db.raw("""
                    SELECT at FROM login_attempt WHERE key = \(bind: Data(allowance.key)) AND at > \(bind: since)
                    ORDER BY at DESC LIMIT \(bind: allowance.limit)
                    """).all()
                if rows.count >= allowance.limit, let oldest = rows.last {
                    let free = Date(millis: try oldest.int64("at")).addingTimeInterval(window)
                    retry = retry.map { max($0, free) } ?? free
                }
            }
            guard retry == nil else { return retry }
            for allowance in allowances {
                try await db.raw("""
                    INSERT INTO login_attempt (key, attempt, at)
                    VALUES (\(bind: Data(allowance.key)), \(bind: Data(attempt)), \(bind: now.millis))
                    """).run()
            }
            return nil
        }
    }

    /// After a successful sign-in: the account's count starts again, and this
    /// attempt no longer counts against its source.
    public func succeeded(account: [UInt8], attempt: [UInt8]) async throws {
        try await store.writes.raw("""
            DELETE FROM login_attempt WHERE key = \(bind: Data(account)) OR attempt = \(bind: Data(attempt))
            """).run()
    }

    /// How many attempts are on record (for tests of the bound).
    public func count() async throws -> Int {
        try await store.reads.raw("SELECT count(*) AS n FROM login_attempt").first().map { try $0.int64("n") }.map(Int.init) ?? 0
    }
}
