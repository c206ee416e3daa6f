import Foundation
@testable import GuardlineStore
import GuardlineTestSupport
import Logging
import SQLKit
import SQLiteKit
import Testing

/// Rows from the embedded SQLite decode common types without SQLiteKit's
/// decoder; whatever they decode must be what that decoder gives.
@Suite("SQLite row decoding") struct SQLiteRowDecodingTests {
    private static let select = """
        SELECT 'Ana Lima' AS text, 42 AS integer, x'00FF10' AS blob, 1.5 AS real, NULL AS missing,
               '' AS empty, x'' AS emptyBlob, 'not a number' AS word
        """

    @Test("every column decodes as SQLiteKit's decoder decodes it, or fails where it fails")
    func matchesSQLiteKit() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let store = try await SQLStore.open(database.store.data, attachingAuditTrail: false, logger: Logger(label: "test"))
            do {
                let row = try #require(try await store.sql.raw(SQLQueryString(Self.select)).first() as? SQLiteValuesRow)
                for column in row.allColumns {
                    let value = try #require(row.values[row.columns.names.firstIndex(of: column)!] as SQLiteData?)
                    try expectSame(row, column, value, String.self)
                    try expectSame(row, column, value, Int.self)
                    try expectSame(row, column, value, Int64.self)
                    try expectSame(row, column, value, Data.self)
                    try expectSame(row, column, value, Double.self)
                }
                #expect(try row.decode(column: "text", as: String.self) == "Ana Lima")
                #expect(try row.decode(column: "integer", as: Int64.self) == 42)
                #expect(try row.decode(column: "blob", as: Data.self) == Data([0x00, 0xFF, 0x10]))
                #expect(try row.decodeNil(column: "missing"))
            } catch {
                try? await store.shutdown()
                throw error
            }
            try await store.shutdown()
        }
    }

    private func expectSame<D: Decodable & Equatable>(_ row: SQLiteValuesRow, _ column: String, _ value: SQLiteData, _ type: D.Type) throws {
        let expected = Result { try SQLiteDataDecoder().decode(D.self, from: value) }
        let actual = Result { try row.decode(column: column, as: D.self) }
        switch (expected, actual) {
        case (.success(let a), .success(let b)):
            #expect(a == b, "\(column) as \(D.self)")
        case (.failure, .failure):
            break
        default:
            Issue.record("\(column) as \(D.self): SQLiteKit gives \(expected), the row gives \(actual)")
        }
    }
}

@Suite("Reads and writes routed by the call") struct ReadWriteRoutingTests {
    @Test("a statement sent as a read runs on a reader, which refuses to write; the writer still reads")
    func routing() async throws {
        try await StoreFixture.with(.sqlite) { fixture in
            let data = fixture.data
            await #expect(throws: (any Error).self) {
                try await data.reads.raw("INSERT INTO organization (id, name, created_at) VALUES ('x', 'y', 0)").run()
            }
            try await data.writes.raw("INSERT INTO organization (id, name, created_at) VALUES ('x', 'written', 0)").run()
            try await data.writes.raw("DELETE FROM organization WHERE id = 'x'").run()
            for database in [data.reads, data.longReads, data.writes] {
                // Through the writer a SELECT works too: nothing depends on the text's first word any more.
                let count = try await database.raw("SELECT count(*) AS n FROM organization").first()?.decode(column: "n", as: Int.self)
                #expect(count == 2)
            }
        }
    }
}
