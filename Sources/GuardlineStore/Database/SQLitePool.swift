import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLiteNIO

/// Opens SQLite connections the way Guardline needs them: WAL journal, foreign
/// keys on, a busy timeout as a last resort against other processes.
struct TunedSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA busy_timeout = 10000")
                .flatMap { _ in connection.query("PRAGMA journal_mode = WAL") }
                .flatMap { _ in connection.query("PRAGMA synchronous = NORMAL") }
                .map { _ in connection }
        }
    }
}

/// SQLite connections as SQLKit sees one database: reads go to a pool of
/// reader connections (WAL lets them run beside a writer), every write and
/// every transaction to the single writer connection.
///
/// SQLite allows one writer at a time. Queuing writers here, asynchronously,
/// instead of letting them wait in `busy_timeout` keeps them from occupying
/// the few threads SQLiteNIO runs statements on, which would starve the one
/// connection that holds the write lock and needs a thread to commit.
///
/// AsyncKit's pools lock internally but predate Sendable annotations.
struct SQLitePool: SQLiteDatabase, @unchecked Sendable {
    let readers: EventLoopGroupConnectionPool<TunedSQLiteSource>
    let writer: EventLoopConnectionPool<TunedSQLiteSource>
    let writerThread: NIOThreadPool
    let logger: Logger

    var eventLoop: any EventLoop { writer.eventLoop }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        if Self.isRead(query) {
            return readers.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
        }
        return writer.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    /// Sessions exist for transactions, which write: they get the writer.
    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        writer.withConnection(logger: logger, closure)
    }

    func shutdown() async throws {
        try await writer.close().get()
        try await readers.shutdownAsync()
        try await writerThread.shutdownGracefully()
    }

    static func isRead(_ sql: String) -> Bool {
        let head = sql.prefix(16).drop(while: { $0.isWhitespace }).prefix(6).uppercased()
        return head == "SELECT" || head.hasPrefix("WITH")
    }
}
