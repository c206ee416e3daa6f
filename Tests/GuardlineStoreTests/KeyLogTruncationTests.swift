import Foundation
import GuardlineCore
import GuardlineTestSupport
import Logging
import Testing

@testable import GuardlineStore

/// Crypto-shredding when a reader holds the key store's log: the truncation that
/// removes the destroyed key's old page from the log is retried until it succeeds,
/// not left to passive checkpoints, which never empty the log (Art17).
@Suite("Key store log truncation is retried (Art17)") struct KeyLogTruncationTests {
    @Test("a destroyed key leaves the log once the reader that blocked the truncation lets go")
    func retriedAfterReader() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let keys = try await SQLStore.open(database.store.keys, attachingAuditTrail: false, logger: Logger(label: "test"))
            do {
                try await Migrator.keys(keys).run()
                let vault = SubjectKeyVault(keys)
                let org = OrganizationID.make()
                for _ in 0..<20 { try await vault.put([UInt8](repeating: 7, count: 60), contact: .make(), org: org, at: Date()) }
                let contact = ContactID.make()
                try await vault.put(SubjectKeyVaultTests.marker, contact: contact, org: org, at: Date())
                guard case .sqlite(let path) = database.store.keys else { return }
                // A reader in the middle of a read transaction: it keeps the log's frames in use.
                let reader = try SQLiteHandle(path: path, role: .reader, attaching: [])
                try reader.execute("BEGIN")
                try reader.run("SELECT count(*) FROM subject_key", []) { _ in false }
                let emptied = try await vault.destroy(contact: contact, org: org)
                #expect(emptied, "the destroy itself succeeds")
                #expect(keys.embedded?.pendingTruncation == true, "the truncation was blocked and handed on")
                // A second key destroyed while the first truncation is still pending is emptied too.
                let second = ContactID.make()
                let secondMarker = Array("guardline-second-shredding-marker-987".utf8)
                try await vault.put(secondMarker, contact: second, org: org, at: Date())
                #expect(try await vault.destroy(contact: second, org: org))
                try reader.execute("COMMIT")
                let deadline = Date().addingTimeInterval(10)
                var held = true
                while Date() < deadline {
                    held = try SubjectKeyVaultTests().filesHold(SubjectKeyVaultTests.marker, directory: database.directory)
                        || SubjectKeyVaultTests().filesHold(secondMarker, directory: database.directory)
                    if !held { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(!held, "the destroyed key is still in the key store's files")
                #expect(keys.embedded?.pendingTruncation == false)
            } catch {
                try? await keys.shutdown()
                throw error
            }
            try await keys.shutdown()
        }
    }
}
