import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

/// Reading the trail: entries by contact, actor or action, heads and checkpoints.
extension AuditLog {
    public struct Query: Sendable {
        public var contactID: ContactID?
        public var actorID: String?
        public var action: String?
        /// Entries with a smaller `seq` than this (newest first paging).
        public var before: Int64?
        public var limit: Int

        public init(contactID: ContactID? = nil, actorID: String? = nil, action: String? = nil, before: Int64? = nil, limit: Int = 50) {
            self.contactID = contactID
            self.actorID = actorID
            self.action = action
            self.before = before
            self.limit = limit
        }
    }

    /// On SQLite, entries are indexed by contact within segments of 2^12 consecutive
    /// entries (migration 5): appends then touch the newest segment's part of the index only.
    static let segmentBits = 12
    static let contactIndex = "audit_event_contact_segment"

    /// Newest first.
    public func entries(org: OrganizationID, _ query: Query) async throws -> [AuditEntry] {
        var sql: SQLQueryString
        if let contact = query.contactID, store.engine == .sqlite {
            // One seek per segment, newest to oldest, through the segmented index (a few
            // hundred for a million entries); left to itself SQLite would walk the whole chain.
            // The walk starts at the chain's end or just below `before`, whichever is lower: a
            // cursor far past the end must not make SQLite count down through empty segments.
            let bits = "\(Self.segmentBits)"
            let end: SQLQueryString = "(SELECT max(seq) FROM audit_event WHERE org_id = \(bind: org.description))"
            let last: SQLQueryString = query.before.map { "min(\(literal: max($0, 1) - 1), \(end))" } ?? end
            sql = """
                SELECT * FROM audit_event INDEXED BY \(unsafeRaw: Self.contactIndex) WHERE org_id = \(bind: org.description)
                AND seq >> \(unsafeRaw: bits) IN (
                    WITH RECURSIVE segment(n) AS (SELECT \(last) >> \(unsafeRaw: bits) UNION ALL SELECT n - 1 FROM segment WHERE n > 0)
                    SELECT n FROM segment)
                AND contact_id = \(bind: contact.description)
                """
        } else {
            sql = "SELECT * FROM audit_event WHERE org_id = \(bind: org.description)"
            if let contact = query.contactID { sql.appendInterpolation(unsafeRaw: " AND contact_id = "); sql.appendInterpolation(bind: contact.description) }
        }
        if let actor = query.actorID { sql.appendInterpolation(unsafeRaw: " AND actor_id = "); sql.appendInterpolation(bind: actor) }
        if let action = query.action { sql.appendInterpolation(unsafeRaw: " AND action = "); sql.appendInterpolation(bind: action) }
        if let before = query.before { sql.appendInterpolation(unsafeRaw: " AND seq < "); sql.appendInterpolation(bind: before) }
        sql.appendInterpolation(unsafeRaw: " ORDER BY seq DESC LIMIT ")
        sql.appendInterpolation(literal: query.limit)
        return try await store.longReads.raw(sql).all().map { try Self.entry($0) }
    }

    public func head(org: OrganizationID) async throws -> Head? {
        try await store.reads.raw("SELECT seq, hash FROM audit_head WHERE org_id = \(bind: org.description)").first().map {
            (try $0.int64("seq"), try $0.bytes("hash"))
        }
    }

    /// The public key of the most recent checkpoint of any organization, if there is one.
    public func latestSigningKey() async throws -> [UInt8]? {
        try await store.reads.raw("SELECT public_key FROM audit_checkpoint ORDER BY at DESC LIMIT 1").first().map { try $0.bytes("public_key") }
    }

    /// Each organization's latest checkpoint.
    public func latestCheckpoints() async throws -> [(org: OrganizationID, checkpoint: AuditCheckpoint)] {
        try await store.reads.raw("""
            SELECT c.org_id, c.seq, c.hash, c.signature, c.public_key FROM audit_checkpoint c
            WHERE c.seq = (SELECT max(seq) FROM audit_checkpoint WHERE org_id = c.org_id)
            """).all().map {
            (try $0.id("org_id"), AuditCheckpoint(seq: try $0.int64("seq"), hash: try $0.bytes("hash"), signature: try $0.bytes("signature"),
                                                  publicKey: try $0.bytes("public_key")))
        }
    }

    /// Whether any checkpoint was signed by this public key.
    public func hasCheckpoint(signedBy publicKey: [UInt8]) async throws -> Bool {
        try await store.reads.raw("SELECT seq FROM audit_checkpoint WHERE public_key = \(bind: Data(publicKey)) LIMIT 1").first() != nil
    }

    public func checkpoints(org: OrganizationID) async throws -> [AuditCheckpoint] {
        try await store.reads.raw("SELECT * FROM audit_checkpoint WHERE org_id = \(bind: org.description) ORDER BY seq").all().map {
            AuditCheckpoint(seq: try $0.int64("seq"), hash: try $0.bytes("hash"), signature: try $0.bytes("signature"),
                            publicKey: try $0.bytes("public_key"))
        }
    }

    /// The stored hash of one entry, and the previous hash it links to.
    public func hashes(org: OrganizationID, seq: Int64) async throws -> (previous: [UInt8], hash: [UInt8])? {
        try await store.reads.raw("SELECT prev_hash, hash FROM audit_event WHERE org_id = \(bind: org.description) AND seq = \(bind: seq)")
            .first().map { (try $0.bytes("prev_hash"), try $0.bytes("hash")) }
    }
}
