import Foundation
import GuardlineCore
import GuardlineCrypto

/// Fixed keys and ids for the crypto tests. Master keys are built from a
/// seed byte so two seeds give two unrelated keys.
enum Fixture {
    static let org = OrganizationID("01890a5d-ac96-774b-bcce-b302099a8057")!
    static let otherOrg = OrganizationID("01890a5d-ac96-774b-bcce-b302099a8058")!
    static let contact = ContactID("01890a5d-ac96-7a4b-8cce-b302099a8001")!
    static let otherContact = ContactID("01890a5d-ac96-7a4b-8cce-b302099a8002")!

    /// 32 bytes derived from `seed`, as 64 hex digits.
    static func masterHex(_ seed: UInt8) -> String {
        (0..<32).map { String(format: "%02x", UInt8(truncatingIfNeeded: Int($0) &* 37 &+ Int(seed) &* 101)) }.joined()
    }

    static func masterBase64(_ seed: UInt8) -> String {
        Data((0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 37 &+ Int(seed) &* 101) }).base64EncodedString()
    }

    static func ring(_ seed: UInt8 = 1) -> KeyRing {
        try! KeyRing(provider: StaticKeyProvider(encoded: masterHex(seed), location: "test"))
    }

    /// A fresh, empty folder under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("guardline-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs as a contiguous run.
    func contains(run needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
