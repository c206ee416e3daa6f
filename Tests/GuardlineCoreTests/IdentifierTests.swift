import Foundation
import GuardlineCore
import Testing

@Suite("Identifier")
struct IdentifierTests {
    private func bytes(_ uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid) { Array($0) } }

    @Test("New identifiers are RFC 9562 version 7 with the RFC variant")
    func versionAndVariant() {
        for _ in 0..<50 {
            let raw = bytes(ContactID.make(at: Fixture.date).uuid)
            #expect(raw[6] >> 4 == 0x7)
            #expect(raw[8] & 0xC0 == 0x80)
        }
    }

    @Test("The first 48 bits are the Unix time in milliseconds")
    func timestampPrefix() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        let raw = bytes(UUID.version7(at: date))
        let millis = raw.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_700_000_000_123)
        #expect(ContactID.make(at: date).description.hasPrefix("018bcfe5-687b"))
    }

    @Test("Dates before 1970 clamp to a zero timestamp")
    func clampsBeforeEpoch() {
        let raw = bytes(UUID.version7(at: Date(timeIntervalSince1970: -1000)))
        #expect(raw.prefix(6).allSatisfy { $0 == 0 })
    }

    @Test("Identifiers made at increasing times sort in that order")
    func timeOrdered() {
        let offsets: [TimeInterval] = [0, 0.002, 1, 60, 86_400, 365 * 86_400, 30 * 365 * 86_400]
        let ids = offsets.map { ContactID.make(at: Fixture.date.addingTimeInterval($0)).description }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test("Identifiers compare in the order of their canonical text")
    func comparesLikeText() throws {
        let texts = ["00000000-0000-7000-8000-000000000001", "0000000f-0000-7000-8000-000000000000", "00000010-0000-7000-8000-000000000000",
                     "a0000000-0000-7000-8000-000000000000", "ffffffff-ffff-7fff-bfff-ffffffffffff"]
        let ids = try texts.shuffled().map { try #require(ContactID($0)) }
        #expect(ids.sorted().map(\.description) == texts)
        let random = (0..<200).map { _ in ContactID(UUID()) }
        #expect(random.sorted().map(\.description) == random.map(\.description).sorted())
    }

    @Test("Two identifiers made at the same instant still differ")
    func randomTail() {
        #expect(ContactID.make(at: Fixture.date) != ContactID.make(at: Fixture.date))
    }

    @Test("The string form is lowercase, canonical and round-trips")
    func stringRoundTrip() throws {
        let id = ContactID.make(at: Fixture.date)
        #expect(id.description.count == 36)
        #expect(id.description == id.description.lowercased())
        #expect(ContactID(id.description) == id)
        #expect(ContactID(id.description.uppercased()) == id)
        #expect(ContactID(id.uuid) == id)
    }

    @Test("Strings that are not UUIDs are refused", arguments: [
        "", "contact-1", "01890a5d-ac96-774b-bcce-b302099a805", "01890a5d-ac96-774b-bcce-b302099a8057x",
        "01890a5dac96774bbcceb302099a8057", "g1890a5d-ac96-774b-bcce-b302099a8057",
        // Foundation's sscanf skips the blank and reads a different id; we refuse it.
        " 1890a5d-ac96-774b-bcce-b302099a8057", "01890a5d- c96-774b-bcce-b302099a8057",
    ])
    func refusesNonUUIDs(string: String) {
        #expect(ContactID(string) == nil)
    }

    @Test("The parser agrees with Foundation's on well-formed and malformed strings", arguments: [
        "01890a5d-ac96-774b-bcce-b302099a8057", "01890A5D-AC96-774B-BCCE-B302099A8057", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "00000000-0000-0000-0000-000000000000", "01890a5d-ac96-774b-bcce-b302099a805", "01890a5dac96-774b-bcce-b302099a8057-",
        "01890a5d-ac96-774b-bcce-b302099a805g", "01890a5d-ac96-774b-bcce_b302099a8057", "01890a5d-ac96-774b-bcce-b302099a80570",
        "01890a5d-ac96-774b-bcce-b302099a80\u{E9}",
    ])
    func agreesWithFoundation(string: String) {
        let ours = UUID(canonical: string)
        #expect(ours == UUID(uuidString: string))
        if let ours { #expect(ContactID(string)?.uuid == ours) }
    }

    @Test("JSON encodes an identifier as its lowercase string and decodes it back")
    func codableRoundTrip() throws {
        let id = ContactID.make(at: Fixture.date)
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(id.description)\"]")
        #expect(try JSONDecoder().decode([ContactID].self, from: json) == [id])
    }

    @Test("Bytes are written as lowercase hex, two digits each, as String(format: \"%02x\") wrote them")
    func hex() {
        let bytes: [UInt8] = [0x00, 0x0f, 0x10, 0xab, 0xff, 0x7e]
        #expect(bytes.hex == "000f10abff7e")
        #expect(bytes.hex == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hex == "")
        #expect(Array(0...255).map(UInt8.init).hex.count == 512)
    }
}
