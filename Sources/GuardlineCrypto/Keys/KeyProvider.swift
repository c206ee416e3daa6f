import Crypto
import Foundation
import GuardlineCore

/// Where the master key comes from. A seam: a file or the environment today,
/// a KMS or Vault transit engine later.
public protocol KeyProvider: Sendable {
    func masterKey() throws -> SymmetricKey
    /// Where the key lives, for `guardline keys status` (never the key itself).
    var location: String { get }
}

/// Reads the master key from a file, creating it (mode 0600) on first run.
public struct FileKeyProvider: KeyProvider {
    public let path: String

    public init(path: String) { self.path = path }

    public var location: String { "file \(path)" }

    public func masterKey() throws -> SymmetricKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            guard manager.createFile(atPath: path, contents: Data(encoded.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw GuardlineError(.unavailable, "Could not create the master key file at \(path); check that its folder is writable.")
            }
            return key
        }
        guard let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw GuardlineError(.unavailable, "Could not read the master key file at \(path); check its permissions.")
        }
        return try MasterKeyEncoding.decode(text, source: "the key file \(path)")
    }
}

/// Takes the master key from a value (e.g. `GUARDLINE_MASTER_KEY`), base64 or hex.
public struct StaticKeyProvider: KeyProvider {
    private let encoded: String
    public let location: String

    public init(encoded: String, location: String) {
        self.encoded = encoded
        self.location = location
    }

    public func masterKey() throws -> SymmetricKey { try MasterKeyEncoding.decode(encoded, source: location) }
}

enum MasterKeyEncoding {
    static func decode(_ text: String, source: String) throws -> SymmetricKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let data = Data(base64Encoded: trimmed), data.count == 32 { return SymmetricKey(data: data) }
        if trimmed.count == 64, let data = Data(hex: trimmed) { return SymmetricKey(data: data) }
        throw GuardlineError(.unavailable, "The master key in \(source) is not 32 bytes in base64 or 64 hex digits.")
    }
}

extension Data {
    init?(hex: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var iterator = hex.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let byte = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes)
    }
}
