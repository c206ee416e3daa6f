import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HummingbirdTesting
import Testing

@testable import GuardlineServer

/// CTI events, need-to-know bound to the live interaction, and interactions whose
/// content is redacted and sealed before it is stored (Art. 5(1)(c), Art. 25, Art. 32).
@Suite("Interactions, CTI and need-to-know") struct InteractionTests {
    struct Answer: Sendable {
        let call: Int
        let status: Int
        let duplicate: Bool?
    }

    @Test("call events are taken once, in any order, and bad ones store nothing", arguments: TestDatabase.engines)
    func callEvents(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let pbx = try await fixture.ctiToken()
            let phone = fixture.people[0]["phone"]!
            func post(_ body: String, token: String? = nil) async throws -> TestResponse {
                try await fixture.json(.post, "/api/v1/cti/events", token: token ?? pbx, body: body)
            }
            // Out of order: the end arrives first, then the answer, then the ring; then a retry.
            let ended = try await post(#"{"type":"ended","callId":"1700000000.42","from":"\#(phone)"}"#)
            #expect(ended.status == .accepted, "\(ended.text)")
            let id = try #require(ended.object["interactionId"] as? String)
            let answered = try await post(#"{"type":"answered","callId":"1700000000.42","from":"\#(phone)","agent":"inbound@demo.test"}"#)
            #expect(answered.object["interactionId"] as? String == id)
            let ringing = try await post(#"{"type":"ringing","callId":"1700000000.42","from":"\#(phone)","queue":"support"}"#)
            #expect(ringing.object["interactionId"] as? String == id)
            let retry = try await post(#"{"type":"answered","callId":"1700000000.42","from":"\#(phone)","agent":"inbound@demo.test"}"#)
            #expect(retry.status == .accepted)
            #expect(retry.object["duplicate"] as? Bool == true)
            #expect(retry.object["interactionId"] as? String == id)

            let org = try await fixture.organization()
            let key = { (callID: String) in fixture.services.calls.key(for: callID, org: org) }
            let stored = try #require(try await InteractionStore(fixture.services.data).find(callKey: key("1700000000.42"), org: org)).interaction
            #expect(stored.state == .wrapUp)
            #expect(stored.queue == "support")
            #expect(stored.contactID != nil)
            #expect(stored.agentID?.description == (try await fixture.userID("inbound@demo.test")))

            // Bad input: a clear 4xx, and no interaction made.
            try await post(#"{"type":"ringing","callId":"bad-from","from":"912 abc"}"#).expectProblem(.badRequest)
            try await post(#"{"type":"ringing","callId":"has space","from":"\#(phone)"}"#).expectProblem(.badRequest)
            try await post(#"{"type":"answered","callId":"unknown-agent","agent":"nobody@demo.test"}"#).expectProblem(.badRequest)
            try await post(#"{"type":"transferred","callId":"no-agent"}"#).expectProblem(.badRequest)
            try await post(#"{"type":"hangup","callId":"x"}"#).expectProblem(.badRequest)
            try await post(#"{"type":"ringing""#).expectProblem(.badRequest)
            // A person's own sign-in token, or a contacts token, is not the phone system's.
            let inbound = try await fixture.login("inbound@demo.test")
            try await post(#"{"type":"ringing","callId":"by-agent"}"#, token: inbound).expectProblem(.forbidden)
            try await post(#"{"type":"ringing","callId":"stolen"}"#, token: "gl_notatoken").expectProblem(.unauthorized)
            for callID in ["bad-from", "has space", "unknown-agent", "no-agent", "by-agent", "stolen"] {
                #expect(try await InteractionStore(fixture.services.data).find(callKey: key(callID), org: org) == nil)
            }
            // Hand-overs: the latest by the PBX's time holds the call, a transfer is never taken back by a
            // late answer, and a call moved back and forth keeps each move (the PBX's time tells them apart).
            let t0 = Date().addingTimeInterval(-60)
            func at(_ seconds: Double) -> String { ISO8601DateFormatter().string(from: t0.addingTimeInterval(seconds)) }
            for (kind, agent, second) in [("transferred", "outbound@demo.test", 20.0), ("answered", "inbound@demo.test", 10.0),
                                          ("transferred", "inbound@demo.test", 30.0), ("transferred", "outbound@demo.test", 40.0)] {
                #expect(try await post(#"{"type":"\#(kind)","callId":"moved","agent":"\#(agent)","at":"\#(at(second))"}"#).status == .accepted)
            }
            let moved = try #require(try await InteractionStore(fixture.services.data).find(callKey: key("moved"), org: org)).interaction
            #expect(moved.agentID?.description == (try await fixture.userID("outbound@demo.test")))
            #expect(moved.assignedBy == .transferred)
            #expect(try await post(#"{"type":"answered","callId":"moved","agent":"inbound@demo.test","at":"\#(at(50))"}"#).status == .accepted)
            #expect(try #require(try await InteractionStore(fixture.services.data).find(callKey: key("moved"), org: org)).interaction.agentID == moved.agentID)

            // The audit names the interaction, never the number.
            let dpo = try await fixture.login("dpo@demo.test")
            let audit = try await fixture.json(.get, "/api/v1/audit?limit=200", token: dpo).text
            #expect(audit.contains("cti.answered"))
            #expect(!audit.contains(phone) && !audit.contains("1700000000.42"))
        }
    }

    @Test("an agent profile opens a contact in full only within the call it holds", arguments: TestDatabase.engines)
    func needToKnow(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[1]
            let inbound = try await fixture.login("inbound@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")

            // No context: the minimal view, enough to recognise the caller.
            let bare = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound).first)
            let id = try #require(bare["id"] as? String)
            #expect(Set(bare.fields.keys) == ["name", "phone"])
            #expect(bare.fields["phone"] != person["phone"])
            #expect(!bare.fields.values.contains { $0.contains(person["name"]!) })
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(id)", token: inbound).object.fields["address"] == nil)

            // Within the call the PBX handed to them: what the profile allows.
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            let inCall = try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound)
            #expect(inCall.object.fields["address"] == person["address"])
            // Someone else's call opens nothing for them; a call with someone else opens nothing of this contact.
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(call)", token: outbound).expectProblem(.forbidden)
            let otherCall = try await fixture.answeredCall(from: fixture.people[2]["phone"]!, agent: "inbound@demo.test")
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(otherCall)", token: inbound).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(UUID().uuidString)", token: inbound).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=not-an-id", token: inbound).expectProblem(.badRequest)

            // A stated reason: enough for inbound support, not for outbound sales.
            let reasoned = try await fixture.json(.get, "/api/v1/contacts/\(id)?reason=customer%20letter", token: inbound)
            #expect(reasoned.object.fields["address"] == person["address"])
            try await fixture.json(.get, "/api/v1/contacts/\(id)?reason=curious", token: outbound).expectProblem(.forbidden)
            // The DPO needs no context.
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo).object.fields["address"] == person["address"])

            // Closed: the call no longer opens the contact.
            #expect(try await fixture.json(.patch, "/api/v1/interactions/\(call)", token: inbound,
                                           body: #"{"disposition":"resolved","close":true}"#).status == .ok)
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound).expectProblem(.forbidden)

            // An agent cannot open a live interaction themselves, not even with an integration token they
            // make: only the phone system's (or a chat platform's) token does. What they log is closed and opens nothing.
            try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: outbound,
                                   body: #"{"channel":"chat","direction":"inbound","live":true}"#).expectProblem(.forbidden)
            let minted = try await fixture.json(.post, "/api/v1/tokens", token: outbound, body: #"{"name":"mine","scopes":["contacts.write"]}"#)
            let own = try #require(minted.object["token"] as? String, "\(minted.text)")
            try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: own,
                                   body: #"{"channel":"chat","direction":"inbound","live":true}"#).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/tokens", token: outbound, body: #"{"name":"pbx","scopes":["cti.events"]}"#).expectProblem(.forbidden)
            let logged = try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: outbound,
                                                body: #"{"channel":"chat","direction":"inbound","body":"hello"}"#)
            let loggedID = try #require(logged.object["id"] as? String, "\(logged.text)")
            #expect(logged.object["state"] as? String == "closed")
            try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(loggedID)", token: outbound).expectProblem(.forbidden)

            // A ring is not yet a conversation: it pops the caller minimal until the call is answered.
            let pbx = try await fixture.ctiToken()
            let rang = try await fixture.json(.post, "/api/v1/cti/events", token: pbx,
                                              body: #"{"type":"ringing","callId":"only-rings","from":"\#(person["phone"]!)","agent":"inbound@demo.test"}"#)
            let ringID = try #require(rang.object["interactionId"] as? String)
            let ringing = try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(ringID)", token: inbound)
            #expect(ringing.status == .ok)
            #expect(ringing.object.fields["address"] == nil)

            // Changing a contact is for the live interaction too.
            let live = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test", pbx: pbx)
            try await fixture.json(.patch, "/api/v1/contacts/\(id)", token: inbound, body: #"{"fields":{"language":"pt"}}"#).expectProblem(.forbidden)
            let changed = try await fixture.json(.patch, "/api/v1/contacts/\(id)?interactionId=\(live)", token: inbound, body: #"{"fields":{"language":"pt"}}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.object.fields["address"] == person["address"])

            // The audit entry of the read names the interaction.
            let reads = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=contact.read&limit=50", token: dpo)
            let contexts = (reads.object["items"] as? [[String: Any]] ?? []).compactMap { $0["context"] as? String }
            #expect(contexts.contains { $0.contains("interaction \(call)") })
        }
    }

    @Test("what was said is redacted before it is stored, sealed, and opens only for who may read it", arguments: TestDatabase.engines)
    func contentRedactedAndScoped(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[3]
            let inbound = try await fixture.login("inbound@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let id = try #require(try await fixture.lookup(phone: person["phone"]!, as: inbound).first?["id"] as? String)
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")
            let logged = try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: inbound, body: """
                {"channel":"chat","direction":"inbound","subject":"Card payment","body":"My card is 4539 1488 0343 6467 and the code 319",
                 "transcript":[{"speaker":"customer","text":"it's four five three nine one four eight eight"},
                               {"speaker":"customer","text":"zero three four three six four six seven"}],
                 "disposition":"payment_taken"}
                """)
            #expect(logged.status == .created, "\(logged.text)")
            let content = try #require(logged.object["content"] as? [String: Any])
            let body = try #require(content["body"] as? String)
            #expect(!body.contains("4539") && !body.contains("319") && body.contains("[CARD]"))
            let turns = try #require(content["transcript"] as? [[String: Any]])
            #expect(!turns.contains { ($0["text"] as? String)?.contains("four five three") == true })
            // Free text as a disposition is refused.
            try await fixture.json(.post, "/api/v1/contacts/\(id)/interactions", token: inbound,
                                   body: #"{"channel":"sms","direction":"outbound","disposition":"called 912345678"}"#).expectProblem(.badRequest)

            // Raw database: no card digits, no words of the message in clear.
            if engine == .sqlite {
                _ = try await fixture.services.data.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
                for file in try FileManager.default.contentsOfDirectory(atPath: fixture.database.directory) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(fixture.database.directory)/\(file)"))
                    #expect(bytes.range(of: Data("4539".utf8)) == nil, "\(file)")
                    #expect(bytes.range(of: Data("Card payment".utf8)) == nil, "\(file)")
                }
            }

            // Inbound support reads it within a call; outbound sales sees the entry, not what was said.
            let mine = try await fixture.json(.get, "/api/v1/contacts/\(id)/timeline?interactionId=\(call)", token: inbound)
            let entries = try #require(mine.object["interactions"] as? [[String: Any]])
            #expect(entries.contains { ($0["content"] as? [String: Any])?["subject"] as? String == "Card payment" })
            let bare = try await fixture.json(.get, "/api/v1/contacts/\(id)/timeline", token: inbound)
            #expect((bare.object["interactions"] as? [[String: Any]] ?? []).allSatisfy { $0["content"] == nil })
            let theirs = try await fixture.json(.get, "/api/v1/contacts/\(id)/timeline", token: outbound)
            let seen = try #require(theirs.object["interactions"] as? [[String: Any]])
            #expect(!seen.isEmpty && seen.allSatisfy { $0["content"] == nil })
            #expect(seen.contains { $0["contentWithheld"] as? Bool == true })
            // Another agent cannot wrap it up or read it by id.
            let loggedID = try #require(logged.object["id"] as? String)
            try await fixture.json(.get, "/api/v1/interactions/\(loggedID)", token: outbound).expectProblem(.notFound)
            try await fixture.json(.patch, "/api/v1/interactions/\(loggedID)", token: outbound, body: #"{"close":true}"#).expectProblem(.forbidden)
        }
    }

    @Test("call events arriving together are each taken once, and a refused one leaves the rest", arguments: TestDatabase.engines)
    func concurrentEvents(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let pbx = try await fixture.ctiToken()
            let phones = fixture.people.map { $0["phone"]! }
            // Forty calls, each sent twice at once, and one with a bad number among them.
            let bodies = (0..<40).flatMap { call in
                Array(repeating: (call, #"{"type":"answered","callId":"burst-\#(call)","from":"\#(phones[call % phones.count])","agent":"inbound@demo.test"}"#), count: 2)
            } + [(-1, #"{"type":"answered","callId":"burst-bad","from":"12ab"}"#)]
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for (call, body) in bodies {
                    group.addTask {
                        let posted = try await fixture.json(.post, "/api/v1/cti/events", token: pbx, body: body)
                        return Answer(call: call, status: Int(posted.status.code), duplicate: posted.object["duplicate"] as? Bool)
                    }
                }
                return try await group.reduce(into: [Answer]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.call == -1 }.map(\.status) == [400])
            for call in 0..<40 {
                let mine = answers.filter { $0.call == call }
                #expect(mine.count == 2 && mine.allSatisfy { $0.status == 202 }, "call \(call): \(mine)")
                #expect(mine.filter { $0.duplicate == false }.count == 1, "call \(call) taken \(mine.filter { $0.duplicate == false }.count) times")
            }
            let org = try await fixture.organization()
            let store = InteractionStore(fixture.services.data)
            for call in 0..<40 {
                #expect(try await store.find(callKey: fixture.services.calls.key(for: "burst-\(call)", org: org), org: org) != nil)
            }
        }
    }

    @Test("a call from a new number is linked only to a contact holding that number, by its agent", arguments: TestDatabase.engines)
    func linkingUnknownCaller(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let number = "+351939000111"
            let inbound = try await fixture.login("inbound@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let call = try await fixture.answeredCall(from: number, agent: "inbound@demo.test")
            let other = try #require(try await fixture.lookup(phone: fixture.people[0]["phone"]!, as: inbound).first?["id"] as? String)
            // Not the caller's number: refused, whoever the agent picks.
            try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: inbound, body: #"{"contactId":"\#(other)"}"#)
                .expectProblem(.conflict)
            try await fixture.json(.get, "/api/v1/contacts/\(other)?interactionId=\(call)", token: inbound).expectProblem(.forbidden)
            // A new contact made with the number the call came from is the caller.
            let created = try await fixture.json(.post, "/api/v1/contacts", token: inbound, body: #"{"fields":{"name":"Rita Nova","phone":"\#(number)"}}"#)
            let id = try #require(created.object["id"] as? String, "\(created.text)")
            try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: outbound, body: #"{"contactId":"\#(id)"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: inbound, body: #"{"contactId":"not-an-id"}"#)
                .expectProblem(.badRequest)
            let linked = try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: inbound, body: #"{"contactId":"\#(id)"}"#)
            #expect(linked.status == .ok, "\(linked.text)")
            #expect(linked.object["contactId"] as? String == id)
            try await fixture.json(.post, "/api/v1/interactions/\(call)/contact", token: inbound, body: #"{"contactId":"\#(id)"}"#)
                .expectProblem(.conflict)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(id)?interactionId=\(call)", token: inbound).object.fields["name"] == "Rita Nova")
            let dpo = try await fixture.login("dpo@demo.test")
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&action=interaction.link", token: dpo)
            #expect((audit.object["items"] as? [[String: Any]])?.count == 1)
            // Open interactions: the agent's own, every one for the DPO, none of it for another agent.
            func openIDs(_ token: String) async throws -> [String] {
                (try await fixture.json(.get, "/api/v1/interactions", token: token).object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await openIDs(inbound).contains(call))
            #expect(try await openIDs(dpo).contains(call))
            #expect(try await !openIDs(outbound).contains(call))
        }
    }

    @Test("an answered call pops on the agent's open console, and only theirs", .timeLimit(.minutes(1)))
    func screenPop() async throws {
        try await ServerFixture.with { fixture in
            let pops = fixture.services.calls.pops
            let inboundID = try #require(UserID(try await fixture.userID("inbound@demo.test")))
            let outboundID = try #require(UserID(try await fixture.userID("outbound@demo.test")))
            let (_, mine) = await pops.listen(inboundID)
            let (otherID, theirs) = await pops.listen(outboundID)
            let call = try await fixture.answeredCall(from: fixture.people[0]["phone"]!, agent: "inbound@demo.test")
            var iterator = mine.makeAsyncIterator()
            // The ring at their phone pops first, then the answer.
            var popped: [ScreenPop] = []
            while popped.count < 2, let signal = await iterator.next() { if case .pop(let pop) = signal { popped.append(pop) } }
            #expect(popped.map(\.event) == [.ringing, .answered])
            #expect(popped.allSatisfy { $0.interactionID.description == call && $0.contactID != nil })
            await pops.cancel(otherID, user: outboundID)
            var other = theirs.makeAsyncIterator()
            #expect(await other.next() == nil)
            // A fifth console of one agent ends the oldest.
            var consoles = [AsyncStream<ScreenPops.Signal>]()
            for _ in 0..<ScreenPops.perUser { consoles.append(await pops.listen(outboundID).signals) }
            _ = await pops.listen(outboundID)
            var oldest = consoles[0].makeAsyncIterator()
            #expect(await oldest.next() == nil)
            #expect(await pops.listening == ScreenPops.perUser + 1)
        }
    }
}
