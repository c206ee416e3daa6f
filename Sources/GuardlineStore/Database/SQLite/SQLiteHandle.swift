import Foundation
import NIOCore
import SQLiteKit
import VaporCSQLite

/// One SQLite connection driven through the C API, keeping its prepared
/// statements. SQLite itself is the library SQLiteNIO vendors (its C target),
/// so there is one SQLite in the process.
///
/// A handle is not thread-safe and needs none: `EmbeddedSQLite` lends each
/// handle to one caller at a time (readers from a pool, the writer behind a gate).
final class SQLiteHandle: @unchecked Sendable {
    enum Role {
        case writer
        case reader
        /// Copies the write-ahead log back into the database file (see `Checkpointer`).
        case checkpointer
    }

    private let raw: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private var walHook: WALHook?
    /// Dynamic statements (IN lists, optional filters) vary; past this many, the cache starts over.
    private static let statementCacheLimit = 64
    /// How much of a file may be mapped (address space, not memory).
    private static let mappedBytes = 1 << 30
    /// Each reader's page cache: 128 MB, the screen pop's working set for some 100,000 contacts.
    private static let readerCacheKiB = 131_072

    /// A database file opened beside the main one under its own schema name
    /// (`ATTACH`): statements reach its tables by their plain names.
    struct Attachment: Sendable {
        let schema: String
        let path: String
        /// Every commit synced to disk (`synchronous = FULL`): for the audit trail, whose
        /// entries vouch for data already served and must survive a power loss.
        var durable = false
    }

    init(path: String, role: Role, attaching attachments: [Attachment]) throws {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let opened { sqlite_nio_sqlite3_close_v2(opened) }
            throw SQLiteFailure(code: status, message: "could not open \(path): \(message)")
        }
        raw = opened
        // The busy timeout only matters against other processes (the CLI beside a server).
        try execute("PRAGMA busy_timeout = 10000")
        try execute("PRAGMA foreign_keys = ON")
        for attachment in attachments {
            let quoted = attachment.path.replacingOccurrences(of: "'", with: "''")
            try execute("ATTACH DATABASE '\(quoted)' AS \(attachment.schema)")
        }
        switch role {
        case .writer:
            // WAL lets readers run beside the writer; NORMAL syncs at checkpoints, not at
            // every commit (a crash can lose the last commits, never corrupt the file).
            // A durable attachment (the audit trail) syncs its log at every commit: an access
            // is answered only once its entry is on disk, so a power loss cannot take the
            // entry and leave the access done. Its own file keeps that cost off data writes.
            // Without a schema name, journal_mode applies to every attached file.
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA main.synchronous = NORMAL")
            for attachment in attachments {
                try execute("PRAGMA \(attachment.schema).synchronous = \(attachment.durable ? "FULL" : "NORMAL")")
            }
            // Deleted content is overwritten with zeros, not left in free space: a destroyed
            // subject key (crypto-shredding) must not stay readable in the key file's free pages.
            // The vendored SQLite is built with this on; erasure depends on it, so it is stated.
            try execute("PRAGMA secure_delete = ON")
            // Audit appends touch index pages all over their file. The writer reads them
            // from the mapped file and keeps the default small cache: at each commit SQLite
            // walks its whole cache (pcache1Truncate), which with a 64 MB cache cost 4% of a
            // screen pop's CPU.
            try execute("PRAGMA mmap_size = \(Self.mappedBytes)")
        case .checkpointer:
            // Never wait: a TRUNCATE holds the write lock while it waits for readers, and a
            // retry that waited would stall every write (a new contact's key) meanwhile. Blocked,
            // it answers at once and the checkpointer tries again later.
            try execute("PRAGMA busy_timeout = 0")
        case .reader:
            // Routing a write to a reader would be a bug; this makes it fail loudly.
            try execute("PRAGMA query_only = ON")
            // Readers keep the main file's parsed pages in a large cache rather than mapping it:
            // SQLite does not cache a reader's mapped pages and parses each one again at every
            // visit. Audit commits go to their own file, so these cached pages stay valid.
            try execute("PRAGMA main.cache_size = -\(Self.readerCacheKiB)")
            // Attached files (the audit trail) are read in long scans by verification: mapped,
            // their pages are read in place rather than copied into a cache one by one.
            for attachment in attachments {
                try execute("PRAGMA \(attachment.schema).mmap_size = \(Self.mappedBytes)")
            }
        }
    }

    deinit {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        sqlite_nio_sqlite3_close_v2(raw)
    }

    /// Calls `body` after each commit with the number of pages in the write-ahead log.
    /// This replaces SQLite's automatic checkpoint, which would copy the log back
    /// (and sync the file) inside whichever commit crossed the threshold.
    func onCommit(_ body: @escaping @Sendable (Int) -> Void) {
        let hook = WALHook(body: body)
        walHook = hook
        sqlite_nio_sqlite3_wal_hook(raw, { context, _, _, pages in
            if let context { Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue().body(Int(pages)) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(hook).toOpaque())
    }

    /// Runs one statement, handing each result row to `onRow` while it is current.
    /// `onRow` returns false to stop early.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteCursor) throws -> Bool) throws {
        try run(sql, binding: { parameters in
            for value in binds { try parameters.bind(value) }
        }, onRow)
    }

    /// `run(_:_:_:)` with the parameters bound by `binding`, in order, straight from
    /// the caller's values: the audit writer binds each entry without building `SQLiteData`.
    func run(_ sql: String, binding: (inout SQLiteParameters) throws -> Void, _ onRow: (SQLiteCursor) throws -> Bool) throws {
        let statement = try prepared(sql)
        // Every parameter is bound on every run, so there are no bindings to clear.
        defer { sqlite_nio_sqlite3_reset(statement) }
        var parameters = SQLiteParameters(statement: statement)
        try binding(&parameters)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            switch status {
            case SQLITE_ROW:
                guard try onRow(SQLiteCursor(statement: statement)) else { return }
            case SQLITE_DONE:
                return
            default:
                throw failure(status)
            }
        }
    }

    /// Statements with no result and no parameters (pragmas, BEGIN, COMMIT).
    func execute(_ sql: String) throws {
        let status = sqlite_nio_sqlite3_exec(raw, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(status) }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(raw, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status) }
        if statements.count >= Self.statementCacheLimit {
            for old in statements.values { sqlite_nio_sqlite3_finalize(old) }
            statements.removeAll(keepingCapacity: true)
        }
        statements[sql] = statement
        return statement
    }

    private func failure(_ status: Int32) -> SQLiteFailure {
        SQLiteFailure(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(raw)))
    }
}

/// Retained by its handle for as long as SQLite may call it.
private final class WALHook {
    let body: @Sendable (Int) -> Void
    init(body: @escaping @Sendable (Int) -> Void) { self.body = body }
}

/// SQLite copies bound values (SQLITE_TRANSIENT), so Swift's temporary buffers may go.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The parameters of a statement about to run, bound one after another from the first.
struct SQLiteParameters {
    fileprivate let statement: OpaquePointer
    private var index: Int32 = 1

    fileprivate init(statement: OpaquePointer) { self.statement = statement }

    mutating func bind(_ value: SQLiteData) throws {
        switch value {
        case .integer(let number): try integer(Int64(number))
        case .float(let number): try check(sqlite_nio_sqlite3_bind_double(statement, index, number))
        case .text(let text): try self.text(text)
        case .blob(let buffer): try buffer.withUnsafeReadableBytes { try blob($0) }
        case .null: try null()
        }
    }

    mutating func integer(_ number: Int64) throws { try check(sqlite_nio_sqlite3_bind_int64(statement, index, number)) }

    mutating func text(_ text: String) throws {
        var text = text
        try text.withUTF8 { try self.text(UnsafeRawBufferPointer($0)) }
    }

    /// UTF-8 bytes, copied by SQLite.
    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {
        // A text with no base address (empty) would bind as NULL.
        let base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
        try check(sqlite_nio_sqlite3_bind_text64(
            statement, index, base.assumingMemoryBound(to: CChar.self), UInt64(bytes.count), transient, UInt8(SQLITE_UTF8)))
    }

    mutating func blob(_ bytes: UnsafeRawBufferPointer) throws {
        // A zero-length blob with no base address would bind as NULL.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return try check(sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0)) }
        try check(sqlite_nio_sqlite3_bind_blob64(statement, index, base, UInt64(bytes.count), transient))
    }

    mutating func null() throws { try check(sqlite_nio_sqlite3_bind_null(statement, index)) }

    private mutating func check(_ status: Int32) throws {
        guard status == SQLITE_OK else {
            let message = sqlite_nio_sqlite3_db_handle(statement).map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "bind failed"
            throw SQLiteFailure(code: status, message: message)
        }
        index += 1
    }
}

/// The current row of a running statement. Text and blob bytes are borrowed
/// from SQLite and valid only until the statement steps again.
struct SQLiteCursor {
    fileprivate let statement: OpaquePointer

    var columnCount: Int32 { sqlite_nio_sqlite3_column_count(statement) }

    func name(_ column: Int32) -> String {
        sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
    }

    func int64(_ column: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(statement, column) }

    /// The bytes of a column that cannot be NULL (empty if it is): one call fewer
    /// than `bytes(_:)`, for long scans. Text comes back as stored, without conversion.
    func requiredBytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let base = sqlite_nio_sqlite3_column_blob(statement, column)
        return UnsafeRawBufferPointer(start: base, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))
    }

    /// The bytes of a text or blob column; nil when the column is NULL. SQLite hands
    /// text out as stored through the blob call too, so only a missing pointer (NULL
    /// or empty) costs a third call, for the type: verification reads three such columns a row.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        let base = sqlite_nio_sqlite3_column_blob(statement, column)
        if base == nil, sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL { return nil }
        return UnsafeRawBufferPointer(start: base, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))
    }

    /// The column as an owned value, for rows handed to SQLKit.
    func value(_ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            return .text(String(decoding: bytes(column) ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self))
        case SQLITE_BLOB:
            return .blob(ByteBuffer(bytes: bytes(column) ?? UnsafeRawBufferPointer(start: nil, count: 0)))
        default:
            return .null
        }
    }
}

/// An SQLite error with SQLite's own message, which names the constraint or
/// the syntax problem (never a bound value).
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}
