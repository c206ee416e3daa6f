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

/// Reads the master key from a file, creating it (mode 0600, `O_EXCL`) on first
/// run, but only when `mayCreate` says there is no data yet: a new key for old
/// data would make it unreadable, so Guardline refuses to start instead.
public struct FileKeyProvider: KeyProvider {
    public let path: String
    public let mayCreate: Bool

    public init(path: String, mayCreate: Bool = true) {
        self.path = path
        self.mayCreate = mayCreate
    }

    public var location: String { "file \(path)" }

    public func masterKey() throws -> SymmetricKey {
        if let data = try KeyFile.read(path, what: "The master key file") {
            guard let text = String(data: data, encoding: .utf8) else {
                throw GuardlineError(.unavailable, "The master key file at \(path) is not text.")
            }
            return try MasterKeyEncoding.decode(text, source: "the key file \(path)")
        }
        guard mayCreate else {
            throw GuardlineError(.unavailable,
                "The master key file \(path) is missing, but the database holds data encrypted under a master key. Restore the key file (or set GUARDLINE_MASTER_KEY); a new key would leave that data unreadable, so none is made.")
        }
        let key = SymmetricKey(size: .bits256)
        try KeyFile.create(path, contents: Data((key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n").utf8), what: "the master key file")
        return key
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
