import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineTestSupport
import Logging
import Testing

@testable import GuardlineServer

/// Guardline refuses to start on data whose master key is missing or another
/// one, rather than make a new key and write unreadable data beside the old.
@Suite("Master key check at start-up (Art32)") struct MasterKeyCheckTests {
    @Test("a deleted or replaced master key stops start-up; the original starts it again")
    func missingOrDifferentKey() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = ServerConfiguration(dataDirectory: database.directory, passwordCost: 4)
            let logger = Logger(label: "test")
            let first = try await GuardlineServices.open(configuration, logger: logger)
            try await DemoSeeder(first).seed(password: ServerFixture.password, contacts: 3, logger: logger)
            try await first.shutdown()
            let keyFile = configuration.masterKeyFile
            let original = try Data(contentsOf: URL(fileURLWithPath: keyFile))

            try FileManager.default.removeItem(atPath: keyFile)
            let missing = await #expect(throws: GuardlineError.self) { try await GuardlineServices.open(configuration, logger: logger) }
            #expect(missing?.message.contains("missing") == true)
            #expect(!FileManager.default.fileExists(atPath: keyFile), "no new key is made for old data")

            let other = SymmetricKeyText.random()
            #expect(FileManager.default.createFile(atPath: keyFile, contents: Data(other.utf8), attributes: [.posixPermissions: 0o600]))
            let different = await #expect(throws: GuardlineError.self) { try await GuardlineServices.open(configuration, logger: logger) }
            #expect(different?.message.contains("not the one this database was written with") == true)

            var fromEnvironment = configuration
            fromEnvironment.masterKey = other
            await #expect(throws: GuardlineError.self) { try await GuardlineServices.open(fromEnvironment, logger: logger) }

            try FileManager.default.removeItem(atPath: keyFile)
            #expect(FileManager.default.createFile(atPath: keyFile, contents: original, attributes: [.posixPermissions: 0o600]))
            let again = try await GuardlineServices.open(configuration, logger: logger)
            #expect(try await again.organizations.find(named: DemoSeeder.organizationName) != nil)
            try await again.shutdown()
        }
    }

    @Test("a key store without keys beside data with contacts stops start-up, rather than make every contact look erased")
    func emptyKeyStore() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = ServerConfiguration(dataDirectory: database.directory, passwordCost: 4)
            let logger = Logger(label: "test")
            let first = try await GuardlineServices.open(configuration, logger: logger)
            try await DemoSeeder(first).seed(password: ServerFixture.password, contacts: 3, logger: logger)
            try await first.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: "\(database.directory)/keys.sqlite\(suffix)") }
            let refused = await #expect(throws: GuardlineError.self) { try await GuardlineServices.open(configuration, logger: logger) }
            #expect(refused?.message.contains("holds no subject keys") == true)
        }
    }

    @Test("the audit signing key is its own key file, and checkpoints signed before it existed still verify")
    func separateSigningKey() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = ServerConfiguration(dataDirectory: database.directory, passwordCost: 4, auditCheckpointInterval: 5)
            let logger = Logger(label: "test")
            let services = try await GuardlineServices.open(configuration, logger: logger)
            try await DemoSeeder(services).seed(password: ServerFixture.password, contacts: 12, logger: logger)
            let org = try #require(try await services.organizations.find(named: DemoSeeder.organizationName)).id
            let signingFile = configuration.auditSigningKeyFile
            let attributes = try FileManager.default.attributesOfItem(atPath: signingFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            // Not derived from the master key: a ring without the file signs with another key.
            let master = try FileKeyProvider(path: configuration.masterKeyFile).masterKey()
            #expect(KeyRing(master: master).checkpointSigner.publicKey != services.ring.checkpointSigner.publicKey)
            #expect(try await services.verification.verify(org: org).intact)
            try await services.shutdown()
            // Without its signing key, the trail cannot go on: start-up stops rather than sign with a new one.
            let saved = try Data(contentsOf: URL(fileURLWithPath: signingFile))
            try FileManager.default.removeItem(atPath: signingFile)
            let refused = await #expect(throws: GuardlineError.self) { try await GuardlineServices.open(configuration, logger: logger) }
            #expect(refused?.message.contains("audit signing key") == true)
            #expect(!FileManager.default.fileExists(atPath: signingFile), "no new signing key is made for a signed trail")
            #expect(FileManager.default.createFile(atPath: signingFile, contents: saved, attributes: [.posixPermissions: 0o600]))
            let restored = try await GuardlineServices.open(configuration, logger: logger)
            #expect(try await restored.verification.verify(org: org).intact)
            try await restored.shutdown()
        }
    }
}

/// A random master key as an operator would write it (base64).
enum SymmetricKeyText {
    static func random() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() + "\n"
    }
}
