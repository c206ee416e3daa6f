import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

/// Appending: each organization's records linked after its chain head and written
/// with the head and any checkpoint they reach, in one transaction. PostgreSQL
/// appends inside a transaction that holds the chain's lock (`append(_:in:sign:)`),
/// which lets an action and its entry commit together; SQLite appends on the
/// writer's thread in batches (`Appender`). Both link through `ChainExtension`.
extension AuditLog {
    /// Appends records, linked after each organization's chain head.
    @discardableResult
    public func append(_ records: [AuditRecord], sign: @escaping Sign) async throws -> [AuditEntry] {
        try await append(records, knownHeads: [:], sign: sign).entries
    }

    /// Appends records, one transaction per organization on SQLite (on the writer's
    /// thread, linked after the head the caller believes current, `knownHeads`, else
    /// read), one for the batch on PostgreSQL (linked after heads read under each
    /// chain's exclusive lock, so `knownHeads` is not needed there).
    public func append(
        _ records: [AuditRecord], knownHeads: [OrganizationID: Head], sign: @escaping Sign
    ) async throws -> (entries: [AuditEntry], heads: [OrganizationID: Head]) {
        if let inline {
            return try await withCheckedThrowingContinuation { continuation in
                inline.schedule { appender in
                    continuation.resume(with: Result {
                        guard let appender else { throw InlineWriter.closed }
                        return try appender.append(records, knownHeads: knownHeads, sign: sign)
                    })
                }
            }
        }
        var attempt = 0
        while true {
            do {
                let entries = try await store.transaction { db in try await append(records, in: db, sign: sign) }
                return (entries, [:])
            } catch where attempt < 3 && isRetryable(error) {
                // A deadlock between two batches' locks, or a writer that appended without the lock.
                attempt += 1
            }
        }
    }

    /// Whether `append(_:in:sign:)` can put entries in the transaction of the action
    /// they record (PostgreSQL). SQLite keeps the trail in its own file, which no
    /// transaction spans atomically with the data file in WAL mode.
    public var appendsInTransaction: Bool { store.engine == .postgres }

    /// PostgreSQL: appends inside the caller's transaction `db` (read committed). Each
    /// chain is locked first (a transaction-scoped advisory lock, taken in the order of
    /// the lock keys), so appends from every server queue on it rather than race, and
    /// the head read after it is the true end. The entries, the head (moved by a
    /// trigger) and the checkpoints commit with the rest of the transaction, or not at
    /// all. A lock held too long (a stalled transaction) fails the append after
    /// `lockTimeout` rather than stall the organization's every action.
    public func append(_ records: [AuditRecord], in db: any SQLDatabase, sign: Sign) async throws -> [AuditEntry] {
        precondition(appendsInTransaction, "SQLite appends on its writer's thread")
        var written: [AuditEntry] = []
        try await db.raw("SET LOCAL lock_timeout = '\(unsafeRaw: String(Self.lockTimeoutMilliseconds))ms'").run()
        let groups = ChainExtension.groups(records).sorted { Self.lockKey($0.0) < Self.lockKey($1.0) }
        for (org, group) in groups {
            try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey(org)))").run()
            let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE org_id = \(bind: org.description)").first().map {
                (try $0.int64("seq"), try $0.bytes("hash"))
            } ?? (0, AuditChain.genesis)
            let linked = ChainExtension(group, after: head, checkpointInterval: checkpointInterval)
            for start in stride(from: 0, to: linked.entries.count, by: 500) {
                try await Self.insert(linked.entries[start..<min(start + 500, linked.entries.count)], on: db)
            }
            for entry in linked.checkpoints {
                let signed = try sign(org, entry.seq, entry.hash)
                try await db.raw("""
                    INSERT INTO audit_checkpoint (org_id, seq, hash, signature, public_key, at)
                    VALUES (\(bind: org.description), \(bind: entry.seq), \(bind: Data(entry.hash)),
                            \(bind: Data(signed.signature)), \(bind: Data(signed.publicKey)), \(bind: entry.record.at.millis))
                    ON CONFLICT (org_id, seq) DO NOTHING
                    """).run()
            }
            written += linked.entries
        }
        return written
    }

    static let lockTimeoutMilliseconds = 5_000

    /// The advisory lock of an organization's chain: FNV-1a of its id, in a namespace
    /// of Guardline's. Two ids sharing a key only share a lock.
    static func lockKey(_ org: OrganizationID) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("guardline.audit." + org.description).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    // MARK: Appending on SQLite's writer thread

    /// On SQLite, appends run synchronously on the writer's own thread (see `AuditWriter`); nil elsewhere.
    public var inline: InlineWriter? { store.embedded.map { InlineWriter(log: self, database: $0) } }

    public struct InlineWriter: Sendable {
        let log: AuditLog
        let database: EmbeddedSQLite

        /// What an append scheduled after the database closed answers.
        public static let closed = GuardlineError(.unavailable, "The database is shutting down.")

        /// Runs `body` on the writer's thread once the writer is free; the caller does not wait.
        /// `body` gets nil if the database is shutting down.
        public func schedule(_ body: @escaping @Sendable (Appender?) -> Void) {
            database.schedule { writer in body(writer.map { Appender(log: log, writer: $0) }) }
        }
    }

    /// The writer connection, lent to one `InlineWriter.schedule` body.
    public struct Appender {
        let log: AuditLog
        let writer: SQLiteHandle

        /// `AuditLog.append(_:knownHeads:sign:)`, synchronously: one transaction per
        /// organization's group, the same optimistic head and retry.
        public func append(
            _ records: [AuditRecord], knownHeads: [OrganizationID: Head], sign: Sign
        ) throws -> (entries: [AuditEntry], heads: [OrganizationID: Head]) {
            var heads = knownHeads
            var written: [AuditEntry] = []
            for (org, group) in ChainExtension.groups(records) {
                var head = try heads[org] ?? storedHead(org)
                var attempt = 0
                while true {
                    let linked = ChainExtension(group, after: head, checkpointInterval: log.checkpointInterval)
                    do {
                        try insert(linked, org: org, sign: sign)
                        written += linked.entries
                        head = linked.head
                        break
                    } catch where isUniqueViolation(error) && attempt < 20 {
                        // Another process (a command-line tool on the same files) appended meanwhile.
                        attempt += 1
                        head = try storedHead(org)
                    }
                }
                heads[org] = head
            }
            return (written, heads)
        }

        func storedHead(_ org: OrganizationID) throws -> Head {
            var head: Head = (0, AuditChain.genesis)
            try writer.run("SELECT seq, hash FROM audit_head WHERE org_id = ?", [.text(org.description)]) { row in
                head = (row.int64(0), Array(row.bytes(1) ?? UnsafeRawBufferPointer(start: nil, count: 0)))
                return false
            }
            return head
        }

        func insert(_ linked: ChainExtension, org: OrganizationID, sign: Sign) throws {
            let entries = linked.entries
            // Deferred: the first statement writes, so the write lock is taken at once, but only
            // on the audit file; BEGIN IMMEDIATE would lock (and afterwards tidy) the data file too.
            try writer.run("BEGIN", []) { _ in true }
            do {
                for entry in entries { try writer.run(AuditLog.insertSQL, binding: { try AuditLog.bind(entry, to: &$0) }) { _ in true } }
                // The head moves once per batch, in the same transaction (on PostgreSQL a trigger moves it per row).
                let last = entries[entries.count - 1]
                try writer.run(AuditLog.advanceHeadSQL, [
                    .text(org.description), .integer(Int(last.seq)), .blob(ByteBuffer(bytes: last.hash)),
                ]) { _ in true }
                for entry in linked.checkpoints {
                    let signed = try sign(org, entry.seq, entry.hash)
                    try writer.run(AuditLog.checkpointSQL, [
                        .text(org.description), .integer(Int(entry.seq)), .blob(ByteBuffer(bytes: entry.hash)),
                        .blob(ByteBuffer(bytes: signed.signature)), .blob(ByteBuffer(bytes: signed.publicKey)),
                        .integer(Int(entry.record.at.millis)),
                    ]) { _ in true }
                }
                try writer.run("COMMIT", []) { _ in true }
            } catch {
                try? writer.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The one rule for moving chain heads, used by the appender, PostgreSQL's trigger and
    /// the migrations: `rows` (a VALUES or SELECT of org_id, seq, hash) are upserted into
    /// `table`, never moving a head backwards. A chain whose stored head is ahead of its
    /// entries has lost its tail, and verification must still see that.
    static func advanceHead(in table: String = "audit_head", from rows: String) -> String {
        """
        INSERT INTO \(table) (org_id, seq, hash) \(rows)
        ON CONFLICT (org_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash WHERE excluded.seq > audit_head.seq
        """
    }

    static let advanceHeadSQL = advanceHead(from: "VALUES (?, ?, ?)")

    static let checkpointSQL = """
        INSERT INTO audit_checkpoint (org_id, seq, hash, signature, public_key, at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (org_id, seq) DO NOTHING
        """

    static let columns = [
        "org_id", "seq", "at", "actor_kind", "actor_id", "action", "contact_id", "fields", "context", "prev_hash", "hash",
    ]
    static let insertSQL = """
        INSERT INTO audit_event (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
        """

    /// An entry as the audit table stores it, in the order of `columns`; ids and hashes
    /// are bound from where they lie, without copies.
    static func bind(_ entry: AuditEntry, to row: inout SQLiteParameters) throws {
        let record = entry.record
        try record.orgID.withASCII { try row.text($0) }
        try row.integer(entry.seq)
        try row.integer(record.at.millis)
        try row.text(record.actorKind.rawValue)
        if let actor = record.actorID { try row.text(actor) } else { try row.null() }
        try row.text(record.action)
        if let contact = record.contactID { try contact.withASCII { try row.text($0) } } else { try row.null() }
        try row.text(storedFields(record.fields))
        if let context = record.context { try row.text(context) } else { try row.null() }
        try entry.previousHash.withUnsafeBytes { try row.blob($0) }
        try entry.hash.withUnsafeBytes { try row.blob($0) }
    }

    static func storedFields(_ fields: [String]) -> String { fields.joined(separator: ",") }

    /// Field names are catalog keys (letters and digits, maybe `:masked`), so a
    /// comma-separated list stores them unambiguously and reads back fast.
    /// One statement per call: the caller cuts large batches.
    static func insert(_ entries: ArraySlice<AuditEntry>, on db: any SQLDatabase) async throws {
        var insert = db.insert(into: "audit_event").columns(columns)
        for entry in entries {
            let record = entry.record
            insert = insert.values([
                SQLBind(record.orgID.description), SQLBind(entry.seq), SQLBind(record.at.millis),
                SQLBind(record.actorKind.rawValue), SQLBind(record.actorID), SQLBind(record.action),
                SQLBind(record.contactID?.description), SQLBind(storedFields(record.fields)), SQLBind(record.context),
                SQLBind(Data(entry.previousHash)), SQLBind(Data(entry.hash)),
            ])
        }
        try await insert.run()
    }
}

/// The one rule for extending a chain, whichever engine writes it: records
/// grouped by organization (in a fixed order, so two writers lock chains alike),
/// linked after the head, and every entry at a multiple of the checkpoint
/// interval signed as a checkpoint in the same transaction.
struct ChainExtension {
    let entries: [AuditEntry]
    let checkpoints: [AuditEntry]

    init(_ records: [AuditRecord], after head: AuditLog.Head, checkpointInterval: Int64) {
        entries = AuditChain.link(records, after: head)
        checkpoints = entries.filter { $0.seq % checkpointInterval == 0 }
    }

    /// Where the chain ends once these entries are written.
    var head: AuditLog.Head { (entries[entries.count - 1].seq, entries[entries.count - 1].hash) }

    static func groups(_ records: [AuditRecord]) -> [(OrganizationID, [AuditRecord])] {
        Dictionary(grouping: records, by: \.orgID).sorted { $0.key.description < $1.key.description }
    }
}
