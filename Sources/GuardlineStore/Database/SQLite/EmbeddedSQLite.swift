import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// The embedded SQLite database as SQLKit sees it: reads go to a pool of
/// reader connections (WAL lets them run beside the writer), every write and
/// every transaction to the single writer connection, taken in turn.
///
/// Statements go straight through the C API with cached prepared statements.
/// Reads run on the calling task's thread: a point read of pages already in
/// the cache costs a few microseconds, less than handing it to another thread
/// would; the long reads (verifying a whole audit chain) move off the
/// cooperative pool themselves (`offload`). Writes run on a thread of their
/// own: a commit may wait for the disk, and while it does, callers keep
/// arriving and the audit writer gathers them into its next batch.
final class EmbeddedSQLite: SQLDatabase, Sendable {
    let path: String
    let attachments: [SQLiteHandle.Attachment]
    let logger: Logger
    private let writer: SQLiteHandle
    private let writerThread: NIOThreadPool
    private let checkpointer: Checkpointer
    private let gate = WriterGate()
    private let readers = NIOLockedValueBox(ReaderPool())
    private let batcher = WriteBatcher()
    private let encoder = SQLiteDataEncoder()

    private struct ReaderPool {
        var idle: [SQLiteHandle] = []
        var closed = false
    }

    /// Idle readers kept open; more are opened under load and closed after it.
    private static let idleReaders = 8

    init(path: String, attaching attachments: [SQLiteHandle.Attachment], logger: Logger) throws {
        self.path = path
        self.attachments = attachments
        self.logger = logger
        writer = try SQLiteHandle(path: path, role: .writer, attaching: attachments)
        let checkpointer = Checkpointer(path: path, attaching: attachments)
        writer.onCommit { checkpointer.committed(walPages: $0) }
        self.checkpointer = checkpointer
        writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
    }

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    /// Through the database itself, everything goes to the writer: repositories say
    /// which statements read (`SQLStore.reads`, `longReads`) and which write (`writes`),
    /// rather than have the SQL text decide.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map { try encoder.encode($0) }
        await gate.acquire()
        defer { gate.release() }
        try await onWriter { try Self.run(sql, values, on: $0, onRow) }
    }

    /// Runs a read on a reader connection: on the calling thread (a point read of
    /// cached pages costs less than a hand-off), or off the cooperative pool when
    /// `offloaded` (lists, audit queries: long enough to hold a thread others need).
    fileprivate func executeRead(_ query: any SQLExpression, offloaded: Bool, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map { try encoder.encode($0) }
        if offloaded {
            try await offload { try self.withReader { try Self.run(sql, values, on: $0, onRow) } }
        } else {
            try withReader { try Self.run(sql, values, on: $0, onRow) }
        }
    }

    /// The read side as an SQLKit database (`SQLStore.reads`, `SQLStore.longReads`).
    func reader(offloaded: Bool) -> any SQLDatabase {
        RoutedDatabase(database: self) { query, onRow in try await self.executeRead(query, offloaded: offloaded, onRow) }
    }

    /// Sessions exist for transactions, which write: they hold the writer until they end.
    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        await gate.acquire()
        defer { gate.release() }
        return try await closure(RoutedDatabase(database: self) { query, onRow in try await self.runOnWriter(query, onRow) })
    }

    /// Runs `body` in a savepoint of a transaction shared with other writes submitted meanwhile
    /// (`WriteBatcher`): one visit to the writer and one commit for a burst of small writes.
    func batched<R: Sendable>(_ body: @escaping @Sendable (WriterSession) throws -> R) async throws -> R {
        try await batcher.submit(to: self, body)
    }

    /// The writer inside a batch: statements run at once, on its thread.
    struct WriterSession {
        let database: EmbeddedSQLite
        let handle: SQLiteHandle

        func rows(_ query: any SQLExpression) throws -> [any SQLRow] {
            let (sql, values) = try database.statement(query)
            final class Rows: @unchecked Sendable { var all: [any SQLRow] = [] }
            let rows = Rows()
            try EmbeddedSQLite.run(sql, values, on: handle) { rows.all.append($0) }
            return rows.all
        }
    }

    /// Runs `work` on the writer's thread once the writer is free, without the
    /// caller waiting: the audit writer's batches, so that a busy cooperative
    /// pool never stands between one batch and the next. `work` gets nil if
    /// the database is shutting down.
    func schedule(_ work: @escaping @Sendable (SQLiteHandle?) -> Void) {
        gate.acquire { [writer, writerThread, gate] in
            writerThread.submit { state in
                defer { gate.release() }
                if case .active = state { work(writer) } else { work(nil) }
            }
        }
    }

    /// Reads straight from a reader's cursor, for scans too long to turn into rows.
    func read(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteCursor) throws -> Bool) throws {
        try withReader { try $0.run(sql, binds, onRow) }
    }

    /// Runs `body` on one reader inside one read transaction, so that several scans
    /// that must agree (a list build's facts) see one state of the database.
    func snapshot<R>(_ body: (SQLiteHandle) throws -> R) throws -> R {
        try withReader { handle in
            try handle.execute("BEGIN")
            defer { try? handle.execute("COMMIT") }
            return try body(handle)
        }
    }

    /// `query` as SQLite text and values, for a handle's cursor.
    func statement(_ query: any SQLExpression) throws -> (sql: String, binds: [SQLiteData]) {
        let (sql, binds) = serialize(query)
        return (sql, try binds.map { try encoder.encode($0) })
    }

    /// Every row of a point read, each decoded from the cursor in place: the
    /// screen pop's reads skip SQLKit's per-call serialization and row copies.
    func rows<Row>(_ sql: String, _ binds: [SQLiteData], _ decode: (SQLiteCursor) throws -> Row) throws -> [Row] {
        var rows: [Row] = []
        try read(sql, binds) { cursor in
            rows.append(try decode(cursor))
            return true
        }
        return rows
    }

    /// The text SQLite runs for `query`, placeholders in bind order: a hot read
    /// is written once in SQLKit's terms and serialized once, here.
    func text(of query: any SQLExpression) -> String { serialize(query).sql }

    /// Runs blocking work on NIO's thread pool rather than a cooperative thread.
    func offload<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    func shutdown() async {
        readers.withLockedValue {
            $0.closed = true
            $0.idle.removeAll()
        }
        // Waits for a running write or transaction; the handles close when released.
        await gate.acquire()
        gate.release()
        try? await writerThread.shutdownGracefully()
        await checkpointer.shutdown()
    }

    private func withReader<R>(_ body: (SQLiteHandle) throws -> R) throws -> R {
        let handle = try readers.withLockedValue { $0.idle.popLast() } ?? SQLiteHandle(path: path, role: .reader, attaching: attachments)
        defer {
            readers.withLockedValue { pool in
                if !pool.closed, pool.idle.count < Self.idleReaders { pool.idle.append(handle) }
            }
        }
        return try body(handle)
    }

    fileprivate static func run(
        _ sql: String, _ values: [SQLiteData], on handle: SQLiteHandle, _ onRow: @Sendable (any SQLRow) -> Void
    ) throws {
        var columns: SQLiteColumns?
        try handle.run(sql, values) { cursor in
            let names = columns ?? SQLiteColumns(cursor)
            columns = names
            onRow(SQLiteValuesRow(columns: names, values: (0..<cursor.columnCount).map(cursor.value)))
            return true
        }
    }

    /// Copies the write-ahead log into the file and empties the log, waiting (up to the busy
    /// timeout) for readers still on older pages. Afterwards no earlier version of any
    /// page is left in either file. Returns false if a reader held on past the timeout.
    func truncateLog() async throws -> Bool {
        await gate.acquire()
        defer { gate.release() }
        let complete = try await onWriter { writer in
            var complete = false
            // One row: whether the checkpoint was blocked, then the log's and the copied page counts.
            try writer.run("PRAGMA wal_checkpoint(TRUNCATE)", []) { row in
                complete = row.int64(0) == 0
                return false
            }
            return complete
        }
        // A reader held the log: the checkpointer keeps trying until it is emptied.
        if !complete { checkpointer.truncateUntilDone() }
        return complete
    }

    /// Whether a log truncation handed to the checkpointer has finished (tests).
    var pendingTruncation: Bool { checkpointer.truncationPending }

    /// Runs `work` with the writer connection on the writer's thread; the caller holds the gate.
    fileprivate func onWriter<R: Sendable>(_ work: @escaping @Sendable (SQLiteHandle) throws -> R) async throws -> R {
        let writer = self.writer
        return try await writerThread.runIfActive { try work(writer) }
    }

    fileprivate func runOnWriter(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map { try encoder.encode($0) }
        try await onWriter { try Self.run(sql, values, on: $0, onRow) }
    }

}

/// One side of the database as SQLKit sees it: the readers (`query_only`, so a write
/// sent there fails loudly), or the writer for the duration of a transaction (the gate
/// is already held). `run` says where a statement goes.
private struct RoutedDatabase: SQLDatabase {
    let database: EmbeddedSQLite
    let run: @Sendable (any SQLExpression, @escaping @Sendable (any SQLRow) -> Void) async throws -> Void

    var logger: Logger { database.logger }
    var eventLoop: any EventLoop { database.eventLoop }
    var dialect: any SQLDialect { database.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await run(query, onRow)
    }
}

/// Column names of one statement's result, shared by its rows.
final class SQLiteColumns: Sendable {
    let names: [String]
    init(_ cursor: SQLiteCursor) { names = (0..<cursor.columnCount).map(cursor.name) }
}

/// A result row with its values copied out of SQLite.
struct SQLiteValuesRow: SQLRow {
    let columns: SQLiteColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.names.contains(column) }

    func decodeNil(column: String) throws -> Bool { try value(column) == .null }

    /// The types the repositories read (ids and text, integers, blobs) are taken
    /// straight from the value; anything else goes through SQLiteKit's decoder.
    /// The decoder costs microseconds a column, and a screen pop reads a dozen.
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value = try value(column)
        switch value {
        case .text(let text) where D.self == String.self:
            return text as! D
        case .integer(let number) where D.self == Int64.self:
            return Int64(number) as! D
        case .integer(let number) where D.self == Int.self:
            return number as! D
        case .blob(let buffer) where D.self == Data.self:
            return Data(buffer.readableBytesView) as! D
        default:
            return try SQLiteDataDecoder().decode(D.self, from: value)
        }
    }

    private func value(_ column: String) throws -> SQLiteData {
        guard let index = columns.names.firstIndex(of: column) else {
            throw SQLiteFailure(code: 0, message: "the result has no column \(column)")
        }
        return values[index]
    }
}
