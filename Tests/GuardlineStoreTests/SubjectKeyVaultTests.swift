import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Logging
import Testing

/// Crypto-shredding on SQLite: a destroyed key must be gone from the key file
/// itself, not merely unlinked and left in a free page (Art17).
@Suite("Subject key vault on SQLite (Art17)") struct SubjectKeyVaultTests {
    /// A wrapped key no real key would contain, to find in the raw file.
    static let marker: [UInt8] = Array("guardline-shredding-marker-0123456789".utf8)

    /// Whether the key store's files (the database and any log beside it) hold `bytes`.
    func filesHold(_ bytes: [UInt8], directory: String) throws -> Bool {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("keys.sqlite") }
        #expect(files.contains("keys.sqlite"))
        return try files.contains { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)))
            return data.range(of: Data(bytes)) != nil
        }
    }

    @Test("a destroyed key's bytes are overwritten in the key file, where a kept key's remain", arguments: [true, false])
    func destroyedKeyLeavesNoBytes(destroy: Bool) async throws {
        try await TestDatabase.with(.sqlite) { database in
            try await storeMarker(in: database, thenDestroy: destroy)
            #expect(try filesHold(Self.marker, directory: database.directory) == !destroy)
        }
    }

    @Test("a destroyed key is gone from the key file and its log at once, while the store stays open")
    func destroyedKeyLeavesNoBytesInTheLog() async throws {
        try await TestDatabase.with(.sqlite) { database in
            try await storeMarker(in: database, thenDestroy: true) { _ in
                // The log held the key's page as first written; destroying empties it.
                let held = try filesHold(Self.marker, directory: database.directory)
                #expect(!held)
            }
        }
    }

    /// Stores the marker among neighbours (so its page stays in use), maybe destroys it, runs
    /// `whileOpen`, and closes the store: its last connection, closing, copies the log back into the file.
    func storeMarker(
        in database: TestDatabase, thenDestroy destroy: Bool, whileOpen: (SQLStore) async throws -> Void = { _ in }
    ) async throws {
        let keys = try await SQLStore.open(database.store.keys, attachingAuditTrail: false, logger: Logger(label: "test"))
        do {
            try await Migrator.keys(keys).run()
            let vault = SubjectKeyVault(keys)
            let org = OrganizationID.make()
            for _ in 0..<20 { try await vault.put([UInt8](repeating: 7, count: 60), contact: .make(), org: org, at: Date()) }
            let contact = ContactID.make()
            try await vault.put(Self.marker, contact: contact, org: org, at: Date())
            // Written, the key is on disk (in the log, if not yet in the file): the search does find it.
            #expect(try filesHold(Self.marker, directory: database.directory))
            if destroy { #expect(try await vault.destroy(contact: contact, org: org)) }
            try await whileOpen(keys)
        } catch {
            try? await keys.shutdown()
            throw error
        }
        try await keys.shutdown()
    }
}
