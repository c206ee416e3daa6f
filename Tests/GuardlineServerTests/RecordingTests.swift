import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import GuardlineServer

/// Call recordings: kept only under their purpose's lawful basis, sealed under the
/// contact's key as they stream in, played back only to those allowed, each playback
/// audited, and unreadable once the contact is erased (Art. 6, 17, 32).
@Suite("Call recordings") struct RecordingTests {
    /// A WAV header and 200,000 bytes of "audio" that differ at every offset.
    static let audio: [UInt8] = Array("RIFF".utf8) + (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }

    func upload(_ fixture: ServerFixture, _ interaction: String, token: String, bytes: [UInt8] = audio, type: String = "audio/wav") async throws -> TestResponse {
        try await fixture.client.execute(
            uri: "/api/v1/interactions/\(interaction)/recording", method: .put,
            headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: bytes))
    }

    func recordingFiles(_ fixture: ServerFixture) -> [String] {
        let root = fixture.services.configuration.recordingsDirectory
        return (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".glrec") || $0.hasSuffix(".part") }
            .map { "\(root)/\($0)" }
    }

    @Test("a recording needs the contact's consent, is sealed at rest, plays back only for those allowed, audited", arguments: TestDatabase.engines)
    func lifecycle(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[5]
            let pbx = try await fixture.ctiToken()
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", pbx: pbx)
            let inbound = try await fixture.login("inbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")

            // No consent to be recorded: refused, nothing kept.
            let refused = try await upload(fixture, call, token: pbx)
            #expect(refused.expectProblem(.conflict).contains("agreed to be recorded"))
            #expect(recordingFiles(fixture).isEmpty)
            // Only the phone system uploads; an agent's token cannot.
            try await upload(fixture, call, token: inbound).expectProblem(.forbidden)
            try await upload(fixture, UUID().uuidString, token: pbx).expectProblem(.notFound)

            let contact = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound).first?["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(contact)/consents", token: inbound, body: """
                {"purpose":"call_recording","channel":"phone","decision":"granted","interactionId":"\(call)"}
                """).status == .created)
            let stored = try await upload(fixture, call, token: pbx)
            #expect(stored.status == .created, "\(stored.text)")
            #expect(stored.object["bytes"] as? Int == Self.audio.count)
            #expect(stored.object["purpose"] as? String == "call_recording")
            #expect(stored.object["lawfulBasis"] as? String == "consent")
            try await upload(fixture, call, token: pbx).expectProblem(.conflict)

            // At rest: sealed, no run of the audio in the file.
            let files = recordingFiles(fixture)
            #expect(files.count == 1)
            let raw = try Data(contentsOf: URL(fileURLWithPath: try #require(files.first)))
            #expect(raw.range(of: Data(Self.audio[100_000..<100_032])) == nil)
            #expect(raw.range(of: Data("RIFF".utf8)) == nil)

            // Playback: the DPO gets the same bytes; agents without the capability get nothing.
            let played = try await fixture.json(.get, "/api/v1/interactions/\(call)/recording", token: dpo)
            #expect(played.status == .ok)
            #expect(played.headers[.contentType] == "audio/wav")
            #expect(Array(buffer: played.body) == Self.audio)
            try await fixture.json(.get, "/api/v1/interactions/\(call)/recording", token: inbound).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/interactions/\(call)/recording", token: outbound).expectProblem(.forbidden)
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(contact)&action=recording.play", token: dpo)
            let plays = try #require(audit.object["items"] as? [[String: Any]])
            #expect(plays.count == 1)
            #expect((plays.first?["context"] as? String)?.contains("interaction \(call)") == true)

            // The timeline names it, for those who may read the call.
            let timeline = try await fixture.json(.get, "/api/v1/contacts/\(contact)/timeline", token: dpo)
            let entry = try #require((timeline.object["interactions"] as? [[String: Any]])?.first { $0["id"] as? String == call })
            #expect((entry["recording"] as? [String: Any])?["contentType"] as? String == "audio/wav")

            // Erased: the key is gone, the file left behind opens for no one.
            #expect(try await fixture.json(.delete, "/api/v1/contacts/\(contact)", token: dpo).status == .noContent)
            let after = try await fixture.json(.get, "/api/v1/interactions/\(call)/recording", token: dpo)
            #expect(after.status == .notFound)
            #expect(!Array(buffer: after.body).starts(with: Array("RIFF".utf8)))
        }
    }

    @Test("a recording over the size limit is refused and leaves no file")
    func sizeLimit() async throws {
        try await ServerFixture.with(configure: { $0.maxRecordingBytes = 100_000 }) { fixture in
            let person = fixture.people[6]
            let pbx = try await fixture.ctiToken()
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", pbx: pbx)
            let inbound = try await fixture.login("inbound@demo.test")
            let contact = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound).first?["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/contacts/\(contact)/consents", token: inbound, body: """
                {"purpose":"call_recording","channel":"phone","decision":"granted"}
                """).status == .created)
            try await upload(fixture, call, token: pbx).expectProblem(.contentTooLarge)
            #expect(recordingFiles(fixture).isEmpty)
            // Within the limit it is taken.
            #expect(try await upload(fixture, call, token: pbx, bytes: Array(Self.audio.prefix(90_000))).status == .created)
        }
    }
}
