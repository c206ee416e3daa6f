import Foundation
import GuardlineCore

#if canImport(Glibc)
import Glibc
#endif

/// Signed checkpoints written a second time, outside the database: an append-only
/// file under the data dir (`audit-witness.log`; ship it to a log host or WORM storage
/// for more). Whoever can rewrite the database can delete the chain's last entries
/// and move its head back; they cannot also unwrite what the witness holds, so
/// `audit verify` notices the chain ending short of, or differing from, the latest
/// witnessed checkpoint (as transparency logs hold their signed tree heads apart).
/// Lines hold ids, positions, hashes and signatures: no personal data.
public struct AuditWitness: Sendable {
    public struct Checkpoint: Sendable, Equatable {
        public let org: OrganizationID
        public let seq: Int64
        public let hash: [UInt8]
        public let signature: [UInt8]
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// Appends the checkpoints and syncs them to disk.
    public func record(_ checkpoints: [Checkpoint]) throws {
        guard !checkpoints.isEmpty else { return }
        let text = checkpoints.map { Self.line($0) + "\n" }.joined()
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw GuardlineError(.unavailable, "Could not open the audit witness file \(path) (\(String(cString: strerror(errno)))).")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw GuardlineError(.unavailable, "Could not write the audit witness file \(path).")
        }
    }

    /// One checkpoint as the witness file (and `SyslogWitness`) writes it.
    static func line(_ checkpoint: Checkpoint) -> String {
        "v1 \(checkpoint.org) \(checkpoint.seq) \(checkpoint.hash.hex) \(checkpoint.signature.hex)"
    }

    /// Whether the file exists (it is made at the first checkpoint, or by `start`).
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The witnessed checkpoint furthest along the organization's chain, if any.
    public func latest(org: OrganizationID) throws -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let prefix = "v1 \(org) "
        var latest: Checkpoint?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            let parts = line.split(separator: " ")
            guard parts.count == 5, let seq = Int64(parts[2]), let hash = Self.bytes(parts[3]), let signature = Self.bytes(parts[4]),
                  seq > (latest?.seq ?? 0)
            else { continue }
            latest = Checkpoint(org: org, seq: seq, hash: hash, signature: signature)
        }
        return latest
    }

    private static func bytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
