import Foundation
import GuardlineCore
import SQLKit

/// A signed checkpoint pinning the chain at one entry.
public struct AuditCheckpoint: Sendable, Equatable {
    public var seq: Int64
    public var hash: [UInt8]
    public var signature: [UInt8]
    public var publicKey: [UInt8]
}

/// The audit table: appends linked into the hash chain, queries, and a
/// streaming read for verification.
public struct AuditLog: Sendable {
    /// Signs a checkpoint over (org, seq, hash); supplied by the crypto layer.
    public typealias Sign = @Sendable (OrganizationID, Int64, [UInt8]) throws -> (signature: [UInt8], publicKey: [UInt8])

    let store: SQLStore
    let checkpointInterval: Int64

    public init(_ store: SQLStore, checkpointInterval: Int64 = 1000) {
        self.store = store
        self.checkpointInterval = checkpointInterval
    }

    /// Appends records in one transaction per organization. The head row is
    /// locked first, so several processes sharing a PostgreSQL database extend
    /// one chain; on SQLite the immediate transaction does the same.
    @discardableResult
    public func append(_ records: [AuditRecord], sign: @escaping Sign) async throws -> [AuditEntry] {
        let byOrg = Dictionary(grouping: records, by: \.orgID)
        var written: [AuditEntry] = []
        for (org, group) in byOrg {
            let lock = store.engine == .postgres ? " FOR UPDATE" : ""
            let interval = checkpointInterval
            let entries = try await store.transaction { db -> [AuditEntry] in
                try await db.raw("""
                    INSERT INTO audit_head (org_id, seq, hash) VALUES (\(bind: org.description), 0, \(bind: Data(AuditChain.genesis)))
                    ON CONFLICT (org_id) DO NOTHING
                    """).run()
                guard let head = try await db.raw("""
                    SELECT seq, hash FROM audit_head WHERE org_id = \(bind: org.description)\(unsafeRaw: lock)
                    """).first()
                else { throw GuardlineError(.unavailable, "The audit head row is missing.") }
                let entries = AuditChain.link(group, after: (try head.int64("seq"), try head.bytes("hash")))
                try await Self.insert(entries, on: db)
                let last = entries[entries.count - 1]
                try await db.raw("""
                    UPDATE audit_head SET seq = \(bind: last.seq), hash = \(bind: Data(last.hash))
                    WHERE org_id = \(bind: org.description)
                    """).run()
                for entry in entries where entry.seq % interval == 0 {
                    let signed = try sign(org, entry.seq, entry.hash)
                    try await db.raw("""
                        INSERT INTO audit_checkpoint (org_id, seq, hash, signature, public_key, at)
                        VALUES (\(bind: org.description), \(bind: entry.seq), \(bind: Data(entry.hash)),
                                \(bind: Data(signed.signature)), \(bind: Data(signed.publicKey)), \(bind: entry.record.at.millis))
                        """).run()
                }
                return entries
            }
            written += entries
        }
        return written
    }

    /// Field names are catalog keys (letters and digits, maybe `:masked`), so a
    /// comma-separated list stores them unambiguously and reads back fast.
    /// Rows are inserted in chunks: one statement per chunk keeps a large batch fast on both engines.
    private static func insert(_ entries: [AuditEntry], on db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: entries.count, by: 50).map({ entries[$0..<min($0 + 50, entries.count)] }) {
            var insert = db.insert(into: "audit_event").columns(
                "org_id", "seq", "at", "actor_kind", "actor_id", "action", "contact_id", "fields", "context", "prev_hash", "hash")
            for entry in chunk {
                let record = entry.record
                let fields = record.fields.joined(separator: ",")
                insert = insert.values([
                    SQLBind(record.orgID.description), SQLBind(entry.seq), SQLBind(record.at.millis),
                    SQLBind(record.actorKind.rawValue), SQLBind(record.actorID), SQLBind(record.action),
                    SQLBind(record.contactID?.description), SQLBind(fields), SQLBind(record.context),
                    SQLBind(Data(entry.previousHash)), SQLBind(Data(entry.hash)),
                ])
            }
            try await insert.run()
        }
    }

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

    /// Newest first.
    public func entries(org: OrganizationID, _ query: Query) async throws -> [AuditEntry] {
        var sql = SQLQueryString("SELECT * FROM audit_event WHERE org_id = \(bind: org.description)")
        if let contact = query.contactID { sql.appendInterpolation(unsafeRaw: " AND contact_id = "); sql.appendInterpolation(bind: contact.description) }
        if let actor = query.actorID { sql.appendInterpolation(unsafeRaw: " AND actor_id = "); sql.appendInterpolation(bind: actor) }
        if let action = query.action { sql.appendInterpolation(unsafeRaw: " AND action = "); sql.appendInterpolation(bind: action) }
        if let before = query.before { sql.appendInterpolation(unsafeRaw: " AND seq < "); sql.appendInterpolation(bind: before) }
        sql.appendInterpolation(unsafeRaw: " ORDER BY seq DESC LIMIT ")
        sql.appendInterpolation(bind: query.limit)
        return try await store.sql.raw(sql).all().map(Self.entry)
    }

    public func head(org: OrganizationID) async throws -> (seq: Int64, hash: [UInt8])? {
        try await store.sql.raw("SELECT seq, hash FROM audit_head WHERE org_id = \(bind: org.description)").first().map {
            (try $0.int64("seq"), try $0.bytes("hash"))
        }
    }

    public func checkpoints(org: OrganizationID) async throws -> [AuditCheckpoint] {
        try await store.sql.raw("SELECT * FROM audit_checkpoint WHERE org_id = \(bind: org.description) ORDER BY seq").all().map {
            AuditCheckpoint(seq: try $0.int64("seq"), hash: try $0.bytes("hash"), signature: try $0.bytes("signature"),
                            publicKey: try $0.bytes("public_key"))
        }
    }

    /// Streams the whole chain of an organization in order into `verifier`.
    public func verify(org: OrganizationID, into verifier: inout ChainVerifier) async throws {
        let box = VerifierBox(verifier)
        try await store.sql.execute(sql: SQLQueryString(
            "SELECT * FROM audit_event WHERE org_id = \(bind: org.description) ORDER BY seq"
        )) { row in
            guard box.verifier.failure == nil else { return }
            do {
                box.verifier.check(try Self.entry(row))
            } catch {
                box.decodeFailure = true
            }
        }
        verifier = box.verifier
        if box.decodeFailure, verifier.failure == nil {
            throw GuardlineError(.unavailable, "An audit row could not be read; the table may have been tampered with.")
        }
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        let fields = try row.string("fields").split(separator: ",").map(String.init)
        let record = AuditRecord(
            orgID: try row.id("org_id"), at: try row.date("at"),
            actorKind: AuditActorKind(rawValue: try row.string("actor_kind")) ?? .system,
            actorID: try row.optionalString("actor_id"), action: try row.string("action"),
            contactID: try row.optionalID("contact_id"), fields: fields, context: try row.optionalString("context"))
        return AuditEntry(seq: try row.int64("seq"), record: record, previousHash: try row.bytes("prev_hash"), hash: try row.bytes("hash"))
    }
}

/// Rows arrive one at a time on one thread; the box only carries state across the callback.
private final class VerifierBox: @unchecked Sendable {
    var verifier: ChainVerifier
    var decodeFailure = false
    init(_ verifier: ChainVerifier) { self.verifier = verifier }
}
