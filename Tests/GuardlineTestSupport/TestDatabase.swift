import Foundation
import GuardlineStore
import Logging
import PostgresKit

/// A throwaway place to put Guardline's data for one test: a temporary
/// folder (SQLite), or a fresh database on the PostgreSQL server named by
/// `GUARDLINE_TEST_POSTGRES_URL`, dropped afterwards.
public struct TestDatabase: Sendable {
    public enum Engine: String, Sendable, CaseIterable {
        case sqlite
        case postgres
    }

    public let engine: Engine
    public let directory: String
    /// nil for SQLite: the default files under `directory` are used.
    public let databaseURL: String?
    private let adminURL: String?
    private let databaseName: String?


    /// The engines to run store tests on: SQLite always, PostgreSQL when a server is given.
    public static var engines: [Engine] {
        ProcessInfo.processInfo.environment["GUARDLINE_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["GUARDLINE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func make(_ engine: Engine) async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("guardline-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard engine == .postgres, let admin = postgresURL else {
            return TestDatabase(engine: .sqlite, directory: directory, databaseURL: nil, adminURL: nil, databaseName: nil)
        }
        let name = "guardline_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await execute("CREATE DATABASE \(name)", on: admin)
        guard var components = URLComponents(string: admin) else { throw URLError(.badURL) }
        components.path = "/" + name
        return TestDatabase(engine: .postgres, directory: directory, databaseURL: components.string, adminURL: admin, databaseName: String(name))
    }

    public var store: StoreConfiguration { .resolve(dataDirectory: directory, databaseURL: databaseURL) }

    public func drop() async {
        try? FileManager.default.removeItem(atPath: directory)
        if let adminURL, let databaseName {
            try? await Self.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)", on: adminURL)
        }
    }

    /// Runs `body` with a fresh database and drops it afterwards, even on failure.
    public static func with<R>(_ engine: Engine, _ body: (TestDatabase) async throws -> R) async throws -> R {
        let database = try await make(engine)
        do {
            let result = try await body(database)
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    private static func execute(_ statement: String, on url: String) async throws {
        let store = try await SQLStore.open(.postgres(url: url), attachingAuditTrail: false, logger: Logger(label: "test"))
        do {
            try await store.sql.raw(SQLQueryString(statement)).run()
        } catch {
            try? await store.shutdown()
            throw error
        }
        try await store.shutdown()
    }
}
