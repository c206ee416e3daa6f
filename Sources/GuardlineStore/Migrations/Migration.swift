import Foundation
import GuardlineCore
import SQLKit

/// A numbered schema change. Migrations are only ever added, never edited once landed.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// Statements committed in a transaction of their own before `statements`, for
    /// a step that must be durable first: rows copied into another (attached) file
    /// before the originals are dropped. SQLite commits attached files one by one,
    /// so one transaction could keep the drop and lose the copy in a crash. They
    /// must be safe to run again (`IF NOT EXISTS`, `OR IGNORE`).
    var prepare: @Sendable (SQLStore) -> [String] = { _ in [] }
    /// On SQLite, runs with foreign keys off (checked before commit), for a step that
    /// rebuilds a table other tables refer to: dropping it would otherwise cascade.
    var rebuildsTables = false
    /// Statements for the engine; `BLOB` reads `BYTEA` on PostgreSQL.
    let statements: @Sendable (SQLStore) -> [String]
}

/// Applies the migrations a database has not seen yet, each in its own transaction.
public struct Migrator: Sendable {
    let store: SQLStore
    let migrations: [Migration]
    let table: String

    public static func data(_ store: SQLStore) -> Migrator {
        Migrator(store: store, migrations: DataMigrations.all, table: "schema_migration")
    }

    public static func keys(_ store: SQLStore) -> Migrator {
        Migrator(store: store, migrations: KeyMigrations.all, table: KeyMigrations.table(store, "schema_migration"))
    }

    /// Returns the versions applied by this call.
    @discardableResult
    public func run(clock: WallClock = .system) async throws -> [Int] {
        if store.engine == .postgres, table.contains(".") {
            let schema = table.split(separator: ".")[0]
            let statement = "CREATE SCHEMA IF NOT EXISTS \(schema)"
            try await store.sql.raw(SQLQueryString(statement)).run()
        }
        let create = "CREATE TABLE IF NOT EXISTS \(table) (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        try await store.writes.raw(SQLQueryString(create)).run()
        var applied: [Int] = []
        for migration in migrations {
            let table = self.table
            let store = self.store
            let prepare = migration.prepare(store)
            if !prepare.isEmpty, try await !Self.isApplied(migration, in: table, on: store.sql) {
                try await store.transaction { db in
                    for statement in prepare { try await db.raw(SQLQueryString(statement)).run() }
                }
            }
            let didApply = try await store.transaction(foreignKeysOff: migration.rebuildsTables) { db in
                guard try await !Self.isApplied(migration, in: table, on: db) else { return false }
                for statement in migration.statements(store) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                if migration.rebuildsTables, store.engine == .sqlite,
                   try await db.raw("PRAGMA foreign_key_check").first() != nil {
                    throw GuardlineError(.unavailable, "Migration \(migration.version) would leave rows pointing at missing ones; nothing was changed.")
                }
                try await db.raw("""
                    INSERT INTO \(unsafeRaw: table) (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: clock.now.millis))
                    """).run()
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    private static func isApplied(_ migration: Migration, in table: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT version FROM \(unsafeRaw: table) WHERE version = \(bind: migration.version)").first() != nil
    }
}
