import Foundation
import GuardlineCore
import GuardlineCrypto
import Testing

/// The master key file is created private to its owner and read back unchanged (Art32).
@Suite("FileKeyProvider (Art32)")
struct FileKeyProviderTests {
    @Test("Art32: the key file is created on first use with mode 0600")
    func createsPrivateFile() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("master.key").path
        #expect(!FileManager.default.fileExists(atPath: path))

        _ = try KeyRing(provider: FileKeyProvider(path: path))

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoded = try #require(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(decoded.count == 32)
    }

    @Test("Missing folders on the way to the key file are created")
    func createsFolders() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("etc/guardline/master.key").path
        _ = try KeyRing(provider: FileKeyProvider(path: path))
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("Art32: the key read back from the file is the key that was created")
    func readsBackSameKey() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = FileKeyProvider(path: directory.appendingPathComponent("master.key").path)
        let created = try KeyRing(provider: provider)
        let contents = try Data(contentsOf: URL(fileURLWithPath: provider.path))
        let reread = try KeyRing(provider: provider)
        #expect(try Data(contentsOf: URL(fileURLWithPath: provider.path)) == contents, "an existing key is never replaced")
        #expect(reread.masterKeyID == created.masterKeyID)
        #expect(reread.blindIndex.hash(.email, "maria@example.pt", org: Fixture.org)
            == created.blindIndex.hash(.email, "maria@example.pt", org: Fixture.org))
    }

    @Test("Two new key files hold different keys")
    func freshKeysDiffer() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try KeyRing(provider: FileKeyProvider(path: directory.appendingPathComponent("a.key").path))
        let b = try KeyRing(provider: FileKeyProvider(path: directory.appendingPathComponent("b.key").path))
        #expect(a.masterKeyID != b.masterKeyID)
    }

    @Test("A key file written by an operator in hex is read, not replaced")
    func readsExistingHexFile() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("master.key").path
        try (Fixture.masterHex(7) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let ring = try KeyRing(provider: FileKeyProvider(path: path))
        #expect(ring.masterKeyID == Fixture.ring(7).masterKeyID)
    }

    @Test("A corrupt key file is refused with a message naming its path but not its content", arguments: [
        "not-a-key-but-a-secret", "", "c2hvcnQ=", String(repeating: "z", count: 64),
    ])
    func corruptFile(content: String) throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("master.key").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let error = #expect(throws: GuardlineError.self) { try KeyRing(provider: FileKeyProvider(path: path)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains(path) == true)
        if !content.isEmpty { #expect(error?.message.contains(content) == false) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content, "a corrupt key file is left for the operator")
    }

    @Test("Art32: a key file that group or others may read is refused, whatever it holds", arguments: [0o640, 0o604, 0o644])
    func refusesReadableFile(mode: Int) throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("master.key").path
        try (Fixture.masterHex(7) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let error = #expect(throws: GuardlineError.self) { try KeyRing(provider: FileKeyProvider(path: path)) }
        #expect(error?.message.contains("chmod 600") == true)
        #expect(error?.message.contains(Fixture.masterHex(7)) == false)
    }

    @Test("Art32: with data present, a missing key file is an error, not a new key")
    func noNewKeyForOldData() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("master.key").path
        let error = #expect(throws: GuardlineError.self) { try KeyRing(provider: FileKeyProvider(path: path, mayCreate: false)) }
        #expect(error?.message.contains("missing") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("The location names the file, never the key")
    func location() {
        #expect(FileKeyProvider(path: "/etc/guardline/master.key").location == "file /etc/guardline/master.key")
    }
}
