import Foundation
import GuardlineCore
import GuardlineCrypto
import Testing

/// Recordings are sealed as they stream, in segments bound to their place and order (Art32, Art5_1_f).
@Suite("RecordingCipher (Art32, Art5_1_f)")
struct RecordingCipherTests {
    let key = SubjectKey.generate()
    let recording = UUID()
    var cipher: RecordingCipher { RecordingCipher(key: key, org: Fixture.org, contact: Fixture.contact, recording: recording) }

    /// Deterministic bytes, different at every offset, so a moved segment shows.
    static func audio(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

    func seal(_ plain: [UInt8], pieces: Int) throws -> [UInt8] {
        var sealer = cipher.sealer()
        var out: [UInt8] = []
        var offset = 0
        while offset < plain.count {
            let end = min(plain.count, offset + pieces)
            out += try sealer.feed(plain[offset..<end])
            offset = end
        }
        return out + (try sealer.finish())
    }

    func open(_ sealed: [UInt8], pieces: Int, with cipher: RecordingCipher? = nil) throws -> [UInt8] {
        var opener = (cipher ?? self.cipher).opener()
        var out: [UInt8] = []
        var offset = 0
        while offset < sealed.count {
            let end = min(sealed.count, offset + pieces)
            out += try opener.feed(sealed[offset..<end])
            offset = end
        }
        return out + (try opener.finish())
    }

    @Test("Art32: a recording opens to the same bytes, however both sides cut it into pieces", arguments: [
        (0, 1000), (1, 7), (65_536, 4096), (65_537, 65_536), (200_000, 9_999), (3 * 65_536, 1 << 20),
    ])
    func roundTrip(size: Int, pieces: Int) throws {
        let plain = Self.audio(size)
        let sealed = try seal(plain, pieces: pieces)
        #expect(try open(sealed, pieces: 1_000) == plain)
        #expect(try open(sealed, pieces: 100_003) == plain)
        // Every segment full but the last; an empty recording is one empty last segment.
        let segments = max(1, (size + RecordingCipher.segmentSize - 1) / RecordingCipher.segmentSize)
        #expect(sealed.count == 12 + size + 28 * segments)
    }

    @Test("Art32: the sealed bytes do not contain the audio")
    func noPlaintext() throws {
        let plain = Self.audio(150_000)
        let sealed = try seal(plain, pieces: 5_000)
        #expect(Data(sealed).range(of: Data(plain[70_000..<70_032])) == nil)
    }

    @Test("Art5_1_f: a stream cut at a segment boundary, with a segment dropped, swapped or altered, fails to open")
    func tampering() throws {
        let plain = Self.audio(3 * RecordingCipher.segmentSize + 100)
        let sealed = try seal(plain, pieces: 8_192)
        let segment = RecordingCipher.segmentSize + 28
        let body = Array(sealed[12...])
        let header = Array(sealed[..<12])
        // Cut after the second full segment: the last one left is not marked last.
        #expect(throws: CipherError.self) { try open(header + Array(body[..<(2 * segment)]), pieces: 4096) }
        // The second segment dropped.
        #expect(throws: CipherError.self) { try open(header + Array(body[..<segment]) + Array(body[(2 * segment)...]), pieces: 4096) }
        // The first two swapped.
        #expect(throws: CipherError.self) {
            try open(header + Array(body[segment..<(2 * segment)]) + Array(body[..<segment]) + Array(body[(2 * segment)...]), pieces: 4096)
        }
        // One bit flipped.
        var flipped = sealed
        flipped[12 + segment + 40] ^= 0x01
        #expect(throws: CipherError.self) { try open(flipped, pieces: 4096) }
        // Nothing but the header.
        #expect(throws: CipherError.self) { try open(header, pieces: 4096) }
    }

    @Test("Art5_1_f: a recording copied to another contact, recording or key does not open")
    func boundToItsPlace() throws {
        let sealed = try seal(Self.audio(10_000), pieces: 10_000)
        let others = [
            RecordingCipher(key: key, org: Fixture.org, contact: Fixture.otherContact, recording: recording),
            RecordingCipher(key: key, org: Fixture.otherOrg, contact: Fixture.contact, recording: recording),
            RecordingCipher(key: key, org: Fixture.org, contact: Fixture.contact, recording: UUID()),
            RecordingCipher(key: SubjectKey.generate(), org: Fixture.org, contact: Fixture.contact, recording: recording),
        ]
        for other in others {
            #expect(throws: CipherError.self) { try open(sealed, pieces: 10_000, with: other) }
        }
    }
}
