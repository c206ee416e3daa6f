import Foundation
import GuardlineCore
import SQLKit

/// Numbers and addresses not to be contacted, kept as the organization's blind-index
/// hashes: the same hash a contact's number is indexed by, so a list build matches
/// them without decrypting anything, and an entry outlives the contact's erasure
/// without keeping the number.
public struct SuppressionStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Where an entry came from.
    public enum Source: String, Sendable, Equatable {
        /// Added by a supervisor (a national do-not-call register, a written request).
        case manual
        /// A "do not call me" outcome recorded on a campaign call.
        case outcome
        /// A row of an imported file.
        case `import`
        /// A "wrong number" outcome: whoever holds the number never agreed to be called. It never
        /// makes an entry the person's own, and a supervisor may lift it (the number reassigned).
        case wrongNumber
        /// The person objected to direct marketing (Art. 21(3)), through a request.
        case objection

        /// The person put it there themselves: only the DPO lifts it, on their word.
        public var isPersons: Bool { self == .outcome || self == .objection }
    }

    /// Adds hashes of `kind` (an entry already there stays as it was); answers how many were new.
    @discardableResult
    public func add(kind: String, hashes: [[UInt8]], org: OrganizationID, source: Source, at date: Date, step: TransactionStep? = nil) async throws -> Int {
        try await store.transaction { db in
            let added = try await Self.add(kind: kind, hashes: hashes, org: org, source: source, at: date, on: db)
            try await step?(db)
            return added
        }
    }

    /// An entry already there keeps its date; a "do not call me" or an objection makes it the person's own.
    static func add(kind: String, hashes: [[UInt8]], org: OrganizationID, source: Source, at date: Date, on db: any SQLDatabase) async throws -> Int {
        var added = 0
        for hash in Set(hashes.map { Data($0) }) {
            added += try await db.raw("""
                INSERT INTO suppression (org_id, kind, hash, source, added_at)
                VALUES (\(bind: org.description), \(bind: kind), \(bind: hash), \(bind: source.rawValue), \(bind: date.millis))
                ON CONFLICT (org_id, kind, hash) DO \(unsafeRaw: source.isPersons ? "UPDATE SET source = '\(source.rawValue)'" : "NOTHING")
                RETURNING added_at
                """).all().filter { try $0.int64("added_at") == date.millis }.count
        }
        return added
    }

    /// `addIndexed(kind:of:org:source:at:on:)` for several kinds, in a transaction of its own.
    @discardableResult
    public func addIndexed(kinds: [String], of contact: ContactID, org: OrganizationID, source: Source, at date: Date, step: TransactionStep? = nil) async throws -> Int {
        try await store.transaction { db in
            var added = 0
            for kind in kinds { added += try await addIndexed(kind: kind, of: contact, org: org, source: source, at: date, on: db) }
            try await step?(db)
            return added
        }
    }

    /// Adds the hashes a contact is indexed by for `kind` (their number or address), read
    /// from the index, so nothing is decrypted; answers how many were new.
    public func addIndexed(kind: String, of contact: ContactID, org: OrganizationID, source: Source, at date: Date, on db: any SQLDatabase) async throws -> Int {
        let hashes = try await db.raw("""
            SELECT hash FROM contact_index WHERE org_id = \(bind: org.description) AND kind = \(bind: kind) AND contact_id = \(bind: contact.description)
            """).all().map { [UInt8](try $0.decode(column: "hash", as: Data.self)) }
        return try await Self.add(kind: kind, hashes: hashes, org: org, source: source, at: date, on: db)
    }

    /// Removes one entry; false if it was not there.
    public func remove(kind: String, hash: [UInt8], org: OrganizationID, step: TransactionStep? = nil) async throws -> Bool {
        try await store.transaction { db in
            let removed = try await db.raw("""
                DELETE FROM suppression WHERE org_id = \(bind: org.description) AND kind = \(bind: kind) AND hash = \(bind: Data(hash)) RETURNING kind
                """).all()
            guard !removed.isEmpty else { return false }
            try await step?(db)
            return true
        }
    }

    /// Where an entry came from, or nil if the hash is not on the list.
    public func source(kind: String, hash: [UInt8], org: OrganizationID) async throws -> Source? {
        try await store.reads.raw("""
            SELECT source FROM suppression WHERE org_id = \(bind: org.description) AND kind = \(bind: kind) AND hash = \(bind: Data(hash))
            """).first().map { Source(rawValue: try $0.string("source")) ?? .outcome }
    }

    /// How many entries of each kind the organization holds.
    public func counts(org: OrganizationID) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await store.longReads.raw("""
            SELECT kind, COUNT(*) AS n FROM suppression WHERE org_id = \(bind: org.description) GROUP BY kind
            """).all() {
            counts[try row.string("kind")] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
