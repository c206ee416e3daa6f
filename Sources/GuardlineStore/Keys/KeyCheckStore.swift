import Foundation
import GuardlineCore
import SQLKit

/// The master key's check value, stored with the data it encrypts (not with the
/// keys), so that a server started with a missing or different master key notices
/// before it writes anything under the wrong one.
public struct KeyCheckStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func value() async throws -> [UInt8]? {
        try await store.reads.raw("SELECT value FROM key_check WHERE id = 1").first().map { try $0.bytes("value") }
    }

    public func record(_ value: [UInt8], at date: Date) async throws {
        try await store.writes.raw("""
            INSERT INTO key_check (id, value, created_at) VALUES (1, \(bind: Data(value)), \(bind: date.millis))
            """).run()
    }

    /// Whether anything was written before the check value existed (an organization).
    public func holdsData() async throws -> Bool {
        try await store.reads.raw("SELECT id FROM organization LIMIT 1").first() != nil
    }
}
