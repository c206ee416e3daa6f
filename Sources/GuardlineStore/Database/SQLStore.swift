import AsyncKit
import Foundation
import GuardlineCore
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// Work another part adds to a transaction, run on its connection before it
/// commits: the audit entry of the change the transaction makes, on PostgreSQL.
public typealias TransactionStep = @Sendable (any SQLDatabase) async throws -> Void

/// One opened database (SQLite or PostgreSQL) behind SQLKit, with the
/// dialect differences Guardline cares about kept here.
public final class SQLStore: Sendable {
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    public let engine: Engine
    public let location: DatabaseLocation
    /// The SQLKit database for writes and transactions (on SQLite: the one writer connection).
    public let sql: any SQLDatabase
    /// For statements that only read: on SQLite a reader connection on the calling thread.
    public let reads: any SQLDatabase
    /// For reads that scan (lists, audit queries): on SQLite off the cooperative threads.
    public let longReads: any SQLDatabase
    /// The same as `sql`, named for what the statement does.
    public var writes: any SQLDatabase { sql }
    /// The SQLite database itself, where the audit bypasses SQLKit: appends on the
    /// writer's thread, verification reading stored bytes in place. Nil on PostgreSQL.
    let embedded: EmbeddedSQLite?
    private let shutdownPool: @Sendable () async throws -> Void

    /// Opens the database; the SQLite file and its folder are created if missing.
    ///
    /// On SQLite the data store keeps its audit trail in a file of its own
    /// (`DatabaseLocation.auditTrailPath`), attached to every connection: audit
    /// commits then leave the data file, and the page caches of the readers
    /// doing screen pops, untouched. The key store attaches nothing.
    public static func open(_ location: DatabaseLocation, attachingAuditTrail: Bool, logger: Logger) async throws -> SQLStore {
        let group = MultiThreadedEventLoopGroup.singleton
        switch location {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let database: EmbeddedSQLite
            do {
                let attachments = attachingAuditTrail
                    ? [SQLiteHandle.Attachment(schema: "audit", path: DatabaseLocation.auditTrailPath(forDataFile: path), durable: true)] : []
                database = try EmbeddedSQLite(path: path, attaching: attachments, logger: logger)
            } catch {
                throw GuardlineError(.unavailable, "Could not open the SQLite database at \(path): \(error)")
            }
            return SQLStore(engine: .sqlite, location: location, sql: database, embedded: database) { await database.shutdown() }
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw GuardlineError(.unavailable, "GUARDLINE_DATABASE_URL is not a usable postgres:// URL (\(location)).")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 4,
                logger: logger, on: group)
            let database = pool.database(logger: logger).sql(queryLogLevel: nil)
            let handle = PoolHandle(pool: pool)
            let store = SQLStore(engine: .postgres, location: location, sql: database, embedded: nil) { try await handle.pool.shutdownAsync() }
            do {
                try await store.sql.raw("SELECT 1").run()
            } catch {
                try? await pool.shutdownAsync()
                throw GuardlineError(.unavailable, "Could not connect to PostgreSQL at \(location): \(String(reflecting: error))")
            }
            return store
        }
    }

    private init(
        engine: Engine, location: DatabaseLocation, sql: any SQLDatabase, embedded: EmbeddedSQLite?,
        shutdown: @escaping @Sendable () async throws -> Void
    ) {
        self.engine = engine
        self.location = location
        self.sql = sql
        self.reads = embedded?.reader(offloaded: false) ?? sql
        self.longReads = embedded?.reader(offloaded: true) ?? sql
        self.embedded = embedded
        self.shutdownPool = shutdown
    }

    public func shutdown() async throws { try await shutdownPool() }

    /// Runs `body` in one transaction on one connection; rolls back if it throws.
    /// SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so two writers
    /// queue on the busy timeout instead of failing to upgrade a read lock.
    /// `foreignKeysOff` (SQLite only, for migrations that rebuild a table) turns
    /// enforcement off around the transaction, the only place SQLite lets it change.
    public func transaction<R: Sendable>(
        foreignKeysOff: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        // Read committed on PostgreSQL whatever the server's default: a statement after a lock sees what its holder committed.
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN ISOLATION LEVEL READ COMMITTED"
        let toggleKeys = foreignKeysOff && engine == .sqlite
        return try await sql.withSession { session in
            if toggleKeys { try await session.raw("PRAGMA foreign_keys = OFF").run() }
            let outcome: Result<R, any Error>
            do {
                try await session.raw(SQLQueryString(begin)).run()
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                outcome = .success(result)
            } catch {
                try? await session.raw("ROLLBACK").run()
                outcome = .failure(error)
            }
            // Back on before the writer serves anyone else: the session still holds it.
            if toggleKeys { try await session.raw("PRAGMA foreign_keys = ON").run() }
            return try outcome.get()
        }
    }

    /// On SQLite, empties the write-ahead log into the file (`EmbeddedSQLite.truncateLog`),
    /// so that what was just deleted survives nowhere: until then the log keeps the
    /// pages as they were. Nothing to do on PostgreSQL, whose log is not ours to manage.
    /// Returns false if readers kept the log from being emptied.
    @discardableResult
    public func truncateLog() async throws -> Bool {
        guard let embedded else { return true }
        return try await embedded.truncateLog()
    }

    /// The column type for binary values.
    var blobType: String { engine == .sqlite ? "BLOB" : "BYTEA" }
}

/// AsyncKit's pool locks internally but predates Sendable annotations.
private struct PoolHandle<Source: ConnectionPoolSource>: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
}

/// Helpers shared by the repositories: times as Unix milliseconds in BIGINT
/// columns, which both engines compare and index alike.
extension Date {
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : decode(column: column, as: String.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decodeNil(column: column) ? nil : decode(column: column, as: Int64.self) }
    func bool(_ column: String) throws -> Bool { try decode(column: column, as: Int64.self) != 0 }
    func date(_ column: String) throws -> Date { Date(millis: try int64(column)) }
    func optionalDate(_ column: String) throws -> Date? { try optionalInt64(column).map(Date.init(millis:)) }
    func bytes(_ column: String) throws -> [UInt8] { Array(try decode(column: column, as: Data.self)) }
    func id<T>(_ column: String, as type: Identifier<T>.Type = Identifier<T>.self) throws -> Identifier<T> {
        let raw = try string(column)
        guard let id = Identifier<T>(raw) else { throw GuardlineError(.unavailable, "Column \(column) holds a malformed id.") }
        return id
    }
    func optionalID<T>(_ column: String, as type: Identifier<T>.Type = Identifier<T>.self) throws -> Identifier<T>? {
        guard let raw = try optionalString(column) else { return nil }
        return Identifier<T>(raw)
    }
}

/// Maps unique-constraint violations, which differ per engine, to one answer.
/// A unique violation, or on PostgreSQL a deadlock (40P01) or lock timeout (55P03):
/// worth one more try of the whole transaction.
func isRetryable(_ error: any Error) -> Bool {
    if isUniqueViolation(error) { return true }
    let text = String(reflecting: error)
    return text.contains("40P01") || text.contains("55P03")
}

func isUniqueViolation(_ error: any Error) -> Bool {
    let text = String(reflecting: error)
    return text.contains("UNIQUE constraint failed") || text.contains("23505") || text.contains("duplicate key")
}
