import Crypto
import Foundation
import GuardlineCore

/// Seals a recording under its contact's key as it streams in, in segments, so that
/// neither sealing nor playing needs the whole file in memory, and erasure (the key
/// destroyed) shreds it with the contact's fields.
///
/// Format: `GLR1`, key version (4 bytes), segment size (4 bytes), then segments of
/// nonce (12), ciphertext (up to the segment size) and tag (16). Each segment's AAD
/// binds the organization, contact and recording, the header, the segment's index and
/// whether it is the last: segments cannot be moved, dropped, repeated or cut off
/// without the stream failing to open (an empty recording is one empty last segment).
public struct RecordingCipher: Sendable {
    public static let segmentSize = 64 * 1024
    static let magic: [UInt8] = Array("GLR1".utf8)
    static let headerSize = 12
    static let overhead = 12 + 16

    private let key: SubjectKey
    private let binding: [UInt8]

    public init(key: SubjectKey, org: OrganizationID, contact: ContactID, recording: UUID) {
        self.key = key
        var binding = rowBinding("recording", org: org, contact: contact, reserving: 37)
        binding.append(contentsOf: recording.uuidString.lowercased().utf8)
        binding.append(UInt8(ascii: "|"))
        self.binding = binding
    }

    public func sealer() -> Sealer { Sealer(cipher: self) }
    public func opener() -> Opener { Opener(cipher: self) }

    var header: [UInt8] { Self.magic + bigEndian(key.version) + bigEndian(UInt32(Self.segmentSize)) }

    fileprivate func aad(index: UInt64, last: Bool) -> [UInt8] {
        var aad = binding + header
        withUnsafeBytes(of: index.bigEndian) { aad.append(contentsOf: $0) }
        aad.append(last ? 1 : 0)
        return aad
    }

    fileprivate func seal(_ plain: ArraySlice<UInt8>, index: UInt64, last: Bool) throws -> [UInt8] {
        let box = try AES.GCM.seal(Data(plain), using: key.key, authenticating: aad(index: index, last: last))
        guard let combined = box.combined else { throw CipherError.malformed }
        return Array(combined)
    }

    fileprivate func open(_ sealed: ArraySlice<UInt8>, index: UInt64, last: Bool) throws -> [UInt8] {
        do {
            return Array(try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key.key, authenticating: aad(index: index, last: last)))
        } catch {
            throw CipherError.authenticationFailed
        }
    }

    /// Takes plaintext in pieces of any size; gives sealed bytes as segments fill. A full
    /// segment is held back until more comes, since only then is it known not to be the last.
    public struct Sealer: Sendable {
        let cipher: RecordingCipher
        private var pending: [UInt8] = []
        private var index: UInt64 = 0
        private var started = false

        init(cipher: RecordingCipher) { self.cipher = cipher }

        public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
            var output: [UInt8] = []
            if !started {
                output = cipher.header
                started = true
            }
            pending.append(contentsOf: bytes)
            while pending.count > RecordingCipher.segmentSize {
                output += try cipher.seal(pending[..<RecordingCipher.segmentSize], index: index, last: false)
                pending.removeFirst(RecordingCipher.segmentSize)
                index += 1
            }
            return output
        }

        public mutating func finish() throws -> [UInt8] {
            var output = started ? [] : cipher.header
            started = true
            output += try cipher.seal(pending[...], index: index, last: true)
            pending = []
            return output
        }
    }

    /// Takes sealed bytes in pieces of any size; gives plaintext segment by segment, each
    /// only once it authenticated. `finish` fails if the stream was cut short.
    public struct Opener: Sendable {
        let cipher: RecordingCipher
        private var pending: [UInt8] = []
        private var index: UInt64 = 0
        private var headerRead = false
        private var ended = false

        init(cipher: RecordingCipher) { self.cipher = cipher }

        private static var sealedSegment: Int { RecordingCipher.segmentSize + RecordingCipher.overhead }

        public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
            guard !ended else { throw CipherError.malformed }
            pending.append(contentsOf: bytes)
            if !headerRead {
                guard pending.count >= RecordingCipher.headerSize else { return [] }
                guard Array(pending[..<RecordingCipher.headerSize]) == cipher.header else { throw CipherError.malformed }
                pending.removeFirst(RecordingCipher.headerSize)
                headerRead = true
            }
            var output: [UInt8] = []
            // A full sealed segment with more bytes after it is not the last.
            while pending.count > Self.sealedSegment {
                output += try cipher.open(pending[..<Self.sealedSegment], index: index, last: false)
                pending.removeFirst(Self.sealedSegment)
                index += 1
            }
            return output
        }

        public mutating func finish() throws -> [UInt8] {
            guard headerRead, !ended, pending.count >= RecordingCipher.overhead else { throw CipherError.malformed }
            ended = true
            let output = try cipher.open(pending[...], index: index, last: true)
            pending = []
            return output
        }
    }
}
