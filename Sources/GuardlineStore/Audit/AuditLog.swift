import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

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
    public let checkpointInterval: Int64
    /// On SQLite, chains at least this long are verified in parts side by side (`verifyParts`).
    let parallelVerifyThreshold: Int64

    public init(_ store: SQLStore, checkpointInterval: Int64 = 1000, parallelVerifyThreshold: Int64 = 100_000) {
        self.store = store
        self.checkpointInterval = checkpointInterval
        self.parallelVerifyThreshold = parallelVerifyThreshold
    }

    /// Refuses to run on SQLite without the audit tables in their file: opening a
    /// deleted or misplaced `…-audit.sqlite` gives an empty file, and a server
    /// on it would refuse every audited action, or start a new chain as if the
    /// old one had never been.
    public func requireStorage() async throws {
        guard case .sqlite(let path) = store.location else { return }
        let found = try await store.sql.raw("SELECT name FROM audit.sqlite_master WHERE name = 'audit_event'").first()
        guard found == nil else { return }
        throw GuardlineError(.unavailable, """
            The audit trail \(DatabaseLocation.auditTrailPath(forDataFile: path)) has no audit tables (deleted, moved \
            or replaced?). Restore it from the backup taken with the data file; Guardline will not start a new chain beside the data.
            """)
    }

    /// The end of an organization's chain: its last sequence number and hash.
    public typealias Head = (seq: Int64, hash: [UInt8])

    /// Appends records, linked after each organization's chain head.
    @discardableResult
    public func append(_ records: [AuditRecord], sign: @escaping Sign) async throws -> [AuditEntry] {
        try await append(records, knownHeads: [:], sign: sign).entries
    }

    /// Appends records with optimistic concurrency: each batch is linked after
    /// the head the caller believes current (`knownHeads`, else read), and
    /// inserted in one statement. The primary key (org, seq) lets only one
    /// writer claim a position, so a writer that lost a race (another server
    /// on the same PostgreSQL, say) gets a unique violation, rereads the head
    /// and links again: several processes extend one chain. `audit_head` stays
    /// at the end of the chain, which is what exposes a truncated tail; here a
    /// trigger moves it. On SQLite all this happens on the writer's thread
    /// (`Appender`), which moves the head once per batch.
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
        var heads = knownHeads
        var written: [AuditEntry] = []
        for (org, group) in Dictionary(grouping: records, by: \.orgID) {
            var head: Head
            if let known = heads[org] { head = known } else { head = try await self.head(org: org) ?? (0, AuditChain.genesis) }
            var attempt = 0
            while true {
                let entries = AuditChain.link(group, after: head)
                do {
                    try await insert(entries)
                    written += entries
                    head = (entries[entries.count - 1].seq, entries[entries.count - 1].hash)
                    try await checkpoint(entries.filter { $0.seq % checkpointInterval == 0 }, org: org, sign: sign)
                    break
                } catch where isUniqueViolation(error) && attempt < 20 {
                    attempt += 1
                    head = try await self.head(org: org) ?? (0, AuditChain.genesis)
                }
            }
            heads[org] = head
        }
        return (written, heads)
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
            for (org, group) in Dictionary(grouping: records, by: \.orgID) {
                var head = try heads[org] ?? storedHead(org)
                var attempt = 0
                while true {
                    let entries = AuditChain.link(group, after: head)
                    do {
                        try insert(entries, org: org, sign: sign)
                        written += entries
                        head = (entries[entries.count - 1].seq, entries[entries.count - 1].hash)
                        break
                    } catch where isUniqueViolation(error) && attempt < 20 {
                        attempt += 1
                        head = try storedHead(org)
                    }
                }
                heads[org] = head
            }
            return (written, heads)
        }

        private func storedHead(_ org: OrganizationID) throws -> Head {
            var head: Head = (0, AuditChain.genesis)
            try writer.run("SELECT seq, hash FROM audit_head WHERE org_id = ?", [.text(org.description)]) { row in
                head = (row.int64(0), Array(row.bytes(1) ?? UnsafeRawBufferPointer(start: nil, count: 0)))
                return false
            }
            return head
        }

        private func insert(_ entries: [AuditEntry], org: OrganizationID, sign: Sign) throws {
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
                for entry in entries where entry.seq % log.checkpointInterval == 0 {
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

    private static let advanceHeadSQL = advanceHead(from: "VALUES (?, ?, ?)")

    private static let checkpointSQL = """
        INSERT INTO audit_checkpoint (org_id, seq, hash, signature, public_key, at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (org_id, seq) DO NOTHING
        """

    private func checkpoint(_ entries: [AuditEntry], org: OrganizationID, sign: Sign) async throws {
        for entry in entries {
            let signed = try sign(org, entry.seq, entry.hash)
            try await store.sql.raw("""
                INSERT INTO audit_checkpoint (org_id, seq, hash, signature, public_key, at)
                VALUES (\(bind: org.description), \(bind: entry.seq), \(bind: Data(entry.hash)),
                        \(bind: Data(signed.signature)), \(bind: Data(signed.publicKey)), \(bind: entry.record.at.millis))
                ON CONFLICT (org_id, seq) DO NOTHING
                """).run()
        }
    }

    /// One statement for up to `chunk` entries; larger batches go in one transaction.
    /// (SQLite's `Appender` runs one prepared single-row insert per entry instead.)
    private func insert(_ entries: [AuditEntry]) async throws {
        let chunk = 500
        if entries.count <= chunk {
            try await Self.insert(entries[...], on: store.sql)
        } else {
            try await store.transaction { db in
                for start in stride(from: 0, to: entries.count, by: chunk) {
                    try await Self.insert(entries[start..<min(start + chunk, entries.count)], on: db)
                }
            }
        }
    }

    private static let columns = [
        "org_id", "seq", "at", "actor_kind", "actor_id", "action", "contact_id", "fields", "context", "prev_hash", "hash",
    ]
    private static let insertSQL = """
        INSERT INTO audit_event (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
        """

    /// An entry as the audit table stores it, in the order of `columns`; ids and hashes
    /// are bound from where they lie, without copies.
    private static func bind(_ entry: AuditEntry, to row: inout SQLiteParameters) throws {
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

    private static func storedFields(_ fields: [String]) -> String { fields.joined(separator: ",") }

    /// Field names are catalog keys (letters and digits, maybe `:masked`), so a
    /// comma-separated list stores them unambiguously and reads back fast.
    private static func insert(_ entries: ArraySlice<AuditEntry>, on db: any SQLDatabase) async throws {
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
        return try await store.sql.raw(sql).all().map { try Self.entry($0) }
    }

    public func head(org: OrganizationID) async throws -> Head? {
        try await store.sql.raw("SELECT seq, hash FROM audit_head WHERE org_id = \(bind: org.description)").first().map {
            (try $0.int64("seq"), try $0.bytes("hash"))
        }
    }

    /// The public key of the most recent checkpoint of any organization, if there is one.
    public func latestSigningKey() async throws -> [UInt8]? {
        try await store.sql.raw("SELECT public_key FROM audit_checkpoint ORDER BY at DESC LIMIT 1").first().map { try $0.bytes("public_key") }
    }

    /// Each organization's latest checkpoint.
    public func latestCheckpoints() async throws -> [(org: OrganizationID, checkpoint: AuditCheckpoint)] {
        try await store.sql.raw("""
            SELECT c.org_id, c.seq, c.hash, c.signature, c.public_key FROM audit_checkpoint c
            WHERE c.seq = (SELECT max(seq) FROM audit_checkpoint WHERE org_id = c.org_id)
            """).all().map {
            (try $0.id("org_id"), AuditCheckpoint(seq: try $0.int64("seq"), hash: try $0.bytes("hash"), signature: try $0.bytes("signature"),
                                                  publicKey: try $0.bytes("public_key")))
        }
    }

    /// Whether any checkpoint was signed by this public key.
    public func hasCheckpoint(signedBy publicKey: [UInt8]) async throws -> Bool {
        try await store.sql.raw("SELECT seq FROM audit_checkpoint WHERE public_key = \(bind: Data(publicKey)) LIMIT 1").first() != nil
    }

    public func checkpoints(org: OrganizationID) async throws -> [AuditCheckpoint] {
        try await store.sql.raw("SELECT * FROM audit_checkpoint WHERE org_id = \(bind: org.description) ORDER BY seq").all().map {
            AuditCheckpoint(seq: try $0.int64("seq"), hash: try $0.bytes("hash"), signature: try $0.bytes("signature"),
                            publicKey: try $0.bytes("public_key"))
        }
    }

    /// The stored hash of one entry, and the previous hash it links to.
    public func hashes(org: OrganizationID, seq: Int64) async throws -> (previous: [UInt8], hash: [UInt8])? {
        try await store.sql.raw("SELECT prev_hash, hash FROM audit_event WHERE org_id = \(bind: org.description) AND seq = \(bind: seq)")
            .first().map { (try $0.bytes("prev_hash"), try $0.bytes("hash")) }
    }

    /// Streams the whole chain of an organization in order into `verifier`, or only
    /// the entries after `after` (an incremental verification continuing from there).
    public func verify(org: OrganizationID, after: Int64 = 0, into verifier: inout ChainVerifier) async throws {
        // The organization is known: not reading it back saves a column and a parse per row.
        let columns = "seq, at, actor_kind, actor_id, action, contact_id, fields, context, prev_hash, hash"
        if after == 0, let embedded = store.embedded {
            // On SQLite the scan reads each row's bytes in place, off the cooperative threads. A long
            // chain is cut into parts verified side by side (more parts than threads, so a thread that
            // finishes early takes the next) and joined in order. The first part has no lower bound and
            // the last no upper bound, so a stray seq below 1 or entries past a rolled-back head are read.
            let last = try await head(org: org)?.seq ?? 0
            let parts = last >= parallelVerifyThreshold ? Self.verifyParts : 1
            let segments = try await withThrowingTaskGroup(of: (Int, ChainVerifier).self) { group in
                for part in 0..<parts {
                    var sql = "SELECT \(columns) FROM audit_event WHERE org_id = ?"
                    var binds: [SQLiteData] = []
                    if part > 0 {
                        sql += " AND seq > ?"
                        binds.append(.integer(Int(last) * part / parts))
                    }
                    if part < parts - 1 {
                        sql += " AND seq <= ?"
                        binds.append(.integer(Int(last) * (part + 1) / parts))
                    }
                    let start = part == 0 ? verifier : verifier.laterSegment()
                    group.addTask { [sql, binds] in
                        (part, try await embedded.offload {
                            try Self.verify(org: org, on: embedded, into: start, sql: sql + " ORDER BY seq", binds: binds)
                        })
                    }
                }
                var segments = [ChainVerifier?](repeating: nil, count: parts)
                for try await (part, segment) in group { segments[part] = segment }
                return segments.compactMap { $0 }
            }
            verifier = segments.dropFirst().reduce(into: segments[0]) { $0.append($1) }
            return
        }
        // PostgreSQL, or the entries after a verified position: rows streamed through SQLKit.
        // A full walk has no lower bound, so a stray seq below 1 is read too.
        let box = VerifierBox(verifier)
        var query = SQLQueryString("SELECT \(unsafeRaw: columns) FROM audit_event WHERE org_id = \(bind: org.description)")
        if after > 0 { query.appendInterpolation(unsafeRaw: " AND seq > "); query.appendInterpolation(bind: after) }
        query.appendInterpolation(unsafeRaw: " ORDER BY seq")
        try await store.sql.execute(sql: query) { row in
            guard box.verifier.failure == nil else { return }
            do {
                box.verifier.check(try Self.entry(row, org: org))
            } catch {
                box.decodeFailure = true
            }
        }
        verifier = box.verifier
        if box.decodeFailure, verifier.failure == nil { throw Self.unreadableRow }
    }

    private static func verify(
        org: OrganizationID, on database: EmbeddedSQLite, into start: ChainVerifier, sql: String, binds: [SQLiteData]
    ) throws -> ChainVerifier {
        var verifier = start
        let orgText = Array(org.description.utf8)
        try orgText.withUnsafeBytes { orgBytes in
            try database.read(sql, [.text(org.description)] + binds) { row in
                // The table declares these NOT NULL; a NULL read as empty fails its hash like any other change.
                verifier.check(ChainVerifier.StoredEntry(
                    seq: row.int64(0), atMillis: row.int64(1), actorKind: row.requiredBytes(2), actorID: row.bytes(3),
                    action: row.requiredBytes(4), contactID: row.bytes(5), fields: row.requiredBytes(6), context: row.bytes(7),
                    previousHash: row.requiredBytes(8), hash: row.requiredBytes(9)
                ), org: orgBytes)
            }
        }
        return verifier
    }

    /// How many parts a long chain is verified in, on as many threads as NIO's blocking pool has.
    static let verifyParts = 8

    private static var unreadableRow: GuardlineError {
        GuardlineError(.unavailable, "An audit row could not be read; the table may have been tampered with.")
    }

    static func entry(_ row: any SQLRow, org: OrganizationID? = nil) throws -> AuditEntry {
        let fields = try row.string("fields").split(separator: ",").map(String.init)
        let record = AuditRecord(
            orgID: try org ?? row.id("org_id"), at: try row.date("at"),
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
