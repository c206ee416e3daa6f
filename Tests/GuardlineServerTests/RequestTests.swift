import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import GuardlineServer

/// Data subject requests from receipt to answer (Art. 12, 15–21): deadlines, identity
/// first, approval before what cannot be undone, repeats answered together, every step
/// audited without a word about the person, and nothing reachable from outside.
@Suite("Data subject requests (Art12, Art15_21)") struct RequestTests {
    static func file(_ fixture: ServerFixture, _ token: String, kind: String, contact: String, channel: String = "phone",
                     extra: String = "") async throws -> TestResponse {
        try await fixture.json(.post, "/api/v1/requests", token: token, body: """
            {"kind":"\(kind)","contactId":"\(contact)","channel":"\(channel)"\(extra)}
            """)
    }

    /// A second member of the data protection team (approval takes someone other than the verifier).
    static func secondDPO(_ fixture: ServerFixture) async throws -> String {
        try await fixture.staff("dpo2@demo.test", role: .dpo, profile: "Data Protection")
    }

    static func contact(_ fixture: ServerFixture, _ index: Int) async throws -> String {
        let dpo = try await fixture.login("dpo@demo.test")
        return try #require(try await fixture.lookup(phone: fixture.people[index]["phone"]!, as: dpo).first?["id"] as? String)
    }

    @Test("an erasure asked on a call: filed and verified by the agent in the call, approved and carried out by the DPO, each step audited",
          arguments: TestDatabase.engines)
    func erasureOnACall(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let person = fixture.people[2]
            let id = try await Self.contact(fixture, 2)
            let inbound = try await fixture.login("inbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let call = try await fixture.answeredCall(from: person["phone"]!, agent: "inbound@demo.test")

            // Off the call the agent files nothing for the person (need-to-know).
            try await Self.file(fixture, inbound, kind: "erasure", contact: id).expectProblem(.forbidden)
            // Nor dates one back to make it look older than it is.
            let yesterday = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
            try await Self.file(fixture, inbound, kind: "erasure", contact: id, channel: "letter",
                                extra: #","interactionId":"\#(call)","receivedAt":"\#(yesterday)""#).expectProblem(.forbidden)
            let filed = try await Self.file(fixture, inbound, kind: "erasure", contact: id, extra: #","interactionId":"\#(call)""#)
            #expect(filed.status == .created, "\(filed.text)")
            let request = try #require(filed.object["id"] as? String)
            #expect(filed.object["state"] as? String == "received")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let received = try #require(formatter.date(from: filed.object["receivedAt"] as? String ?? "") ?? ISO8601DateFormatter().date(from: filed.object["receivedAt"] as? String ?? ""))
            let due = try #require(formatter.date(from: filed.object["dueAt"] as? String ?? "") ?? ISO8601DateFormatter().date(from: filed.object["dueAt"] as? String ?? ""))
            #expect(abs(due.timeIntervalSince(RequestDeadline.due(receivedAt: received))) < 1)

            // Nothing is carried out before the person is recognised, nor by the agent.
            try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo).expectProblem(.conflict)
            let verified = try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: inbound,
                                                  body: #"{"method":"knowledgeQuestions","interactionId":"\#(call)"}"#)
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.object["state"] as? String == "awaitingApproval")
            #expect(verified.object["verification"] as? String == "knowledgeQuestions")
            try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: inbound).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: inbound,
                                   body: #"{"method":"knowledgeQuestions","interactionId":"\#(call)"}"#).expectProblem(.conflict)

            let queue = try await fixture.json(.get, "/api/v1/requests", token: dpo)
            #expect(((queue.object["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == request })
            #expect(queue.object["open"] as? Int == 1)
            let done = try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.object["state"] as? String == "completed")
            try await fixture.json(.get, "/api/v1/contacts/\(id)", token: dpo).expectProblem(.notFound)
            #expect(try await fixture.lookup(phone: person["phone"]!, as: dpo).isEmpty)
            try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: dpo).expectProblem(.conflict)
            // The request itself stays, as proof of the answer; the queue is empty.
            #expect(try await fixture.json(.get, "/api/v1/requests/\(request)", token: dpo).object["state"] as? String == "completed")
            #expect(try await fixture.json(.get, "/api/v1/requests", token: dpo).object["open"] as? Int == 0)

            // Every step is in the chain, naming the request and never the person.
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(id)&limit=200", token: dpo)
            let entries = (audit.object["items"] as? [[String: Any]]) ?? []
            let actions = entries.compactMap { $0["action"] as? String }
            for action in ["request.file", "request.verify", "contact.erase", "request.fulfil"] { #expect(actions.contains(action), "\(actions)") }
            let contexts = entries.compactMap { $0["context"] as? String }.joined(separator: "\n")
            #expect(contexts.contains("request \(request)"))
            for field in ["name", "phone", "email", "address", "birthDate"] { #expect(!contexts.contains(person[field]!)) }
        }
    }

    @Test("who may vouch for a person: not a curious agent off the call, not by another's call, not by the portal's codes")
    func verification() async throws {
        try await ServerFixture.with { fixture in
            let id = try await Self.contact(fixture, 3)
            let inbound = try await fixture.login("inbound@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let request = try #require(try await Self.file(fixture, dpo, kind: "access", contact: id, channel: "letter").object["id"] as? String)
            let verify = { (token: String, body: String) in try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: token, body: body) }

            // No call at all, someone else's call, a call with someone else.
            try await verify(inbound, #"{"method":"knowledgeQuestions"}"#).expectProblem(.forbidden)
            let theirs = try await fixture.answeredCall(from: fixture.people[3]["phone"]!, agent: "outbound@demo.test")
            try await verify(inbound, #"{"method":"knowledgeQuestions","interactionId":"\#(theirs)"}"#).expectProblem(.forbidden)
            let elsewhere = try await fixture.answeredCall(from: fixture.people[4]["phone"]!, agent: "inbound@demo.test")
            try await verify(inbound, #"{"method":"knowledgeQuestions","interactionId":"\#(elsewhere)"}"#).expectProblem(.forbidden)
            // Outbound sales cannot see the request, nor the person's requests, without their own call with the person.
            try await fixture.json(.get, "/api/v1/requests/\(request)", token: outbound).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/contacts/\(id)/requests", token: outbound).expectProblem(.forbidden)
            #expect(try await fixture.json(.get, "/api/v1/requests/\(request)?interactionId=\(theirs)", token: outbound).status == .ok)
            // Methods: the portal's codes, a document seen by an agent, the upstream controller on a letter.
            let mine = try await fixture.answeredCall(from: fixture.people[3]["phone"]!, agent: "inbound@demo.test")
            try await verify(inbound, #"{"method":"identityDocument","interactionId":"\#(mine)"}"#).expectProblem(.forbidden)
            try await verify(dpo, #"{"method":"emailCode"}"#).expectProblem(.badRequest)
            try await verify(dpo, #"{"method":"upstreamController"}"#).expectProblem(.badRequest)
            try await verify(dpo, #"{"method":"telepathy"}"#).expectProblem(.badRequest)
            try await verify(dpo, #"{"method":"identityDocument","interactionId":"nope"}"#).expectProblem(.badRequest)
            #expect(try await fixture.json(.get, "/api/v1/requests/\(request)", token: dpo).object["state"] as? String == "received")
            // Outbound sales, on their own call with the person, sees only the number: nothing to ask about.
            try await verify(outbound, #"{"method":"knowledgeQuestions","interactionId":"\#(theirs)"}"#).expectProblem(.forbidden)
            // The agent on their own call with the person may.
            let verified = try await verify(inbound, #"{"method":"knowledgeQuestions","interactionId":"\#(mine)"}"#)
            #expect(verified.object["state"] as? String == "inProgress", "\(verified.text)")
            // Only the data protection team answers it.
            try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil", token: inbound).expectProblem(.forbidden)
            // Agents neither extend nor reject nor cancel nor read the queue.
            try await fixture.json(.post, "/api/v1/requests/\(request)/extend", token: inbound, body: #"{"months":1,"reason":"complexity"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/requests/\(request)/reject", token: inbound, body: #"{"reason":"excessive"}"#).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/requests/\(request)/cancel", token: inbound).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/requests", token: inbound).expectProblem(.forbidden)
            let cancelled = try await fixture.json(.post, "/api/v1/requests/\(request)/cancel", token: dpo)
            #expect(cancelled.object["state"] as? String == "cancelled")
            try await fixture.json(.post, "/api/v1/requests/\(request)/reject", token: dpo, body: #"{"reason":"excessive"}"#).expectProblem(.conflict)
        }
    }

    @Test("bad input is refused and stores nothing; another organization and outsiders reach nothing")
    func badInputAndStrangers() async throws {
        try await ServerFixture.with { fixture in
            let id = try await Self.contact(fixture, 5)
            let dpo = try await fixture.login("dpo@demo.test")
            for body in [
                #"{"kind":"erasure","contactId":"\#(id)"}"#, #"{"kind":"forget","contactId":"\#(id)","channel":"phone"}"#,
                #"{"kind":"erasure","contactId":"\#(id)","channel":"portal"}"#, #"{"kind":"erasure","contactId":"nope","channel":"phone"}"#,
                #"{"kind":"erasure","contactId":"\#(id)","channel":"phone","purpose":"outbound_marketing"}"#,
                #"{"kind":"objection","contactId":"\#(id)","channel":"phone","purpose":"no_such_purpose"}"#,
                #"{"kind":"rectification","contactId":"\#(id)","channel":"phone"}"#,
                #"{"kind":"rectification","contactId":"\#(id)","channel":"phone","changes":{"phone":"12"}}"#,
                #"{"kind":"rectification","contactId":"\#(id)","channel":"phone","changes":{"shoeSize":"44"}}"#,
                #"{"kind":"access","contactId":"\#(id)","channel":"phone","changes":{"name":"X"}}"#,
                #"{"kind":"access","contactId":"\#(id)","channel":"phone","extra":1}"#, #"{"kind":"access""#, "[]",
            ] {
                try await fixture.json(.post, "/api/v1/requests", token: dpo, body: body).expectProblem(.badRequest)
            }
            try await Self.file(fixture, dpo, kind: "access", contact: UUID().uuidString).expectProblem(.notFound)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(id)/requests", token: dpo).object["items"] as? [Any] != nil)
            #expect((try await fixture.json(.get, "/api/v1/contacts/\(id)/requests", token: dpo).object["items"] as? [Any])?.isEmpty == true)
            try await fixture.json(.get, "/api/v1/requests/\(UUID().uuidString)", token: dpo).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/requests?cursor=\(UUID().uuidString)", token: dpo).expectProblem(.badRequest)

            let request = try #require(try await Self.file(fixture, dpo, kind: "restriction", contact: id, channel: "email").object["id"] as? String)
            try await fixture.json(.get, "/api/v1/requests/\(request)").expectProblem(.unauthorized)
            try await fixture.json(.get, "/api/v1/requests", token: "not-a-token").expectProblem(.unauthorized)

            // Another organization's data protection officer.
            let other = try await fixture.anotherOrganization()
            let theirs = try await fixture.staff("dpo@other.test", role: .dpo, profile: "Data Protection", org: other)
            try await fixture.json(.get, "/api/v1/requests/\(request)", token: theirs).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: theirs, body: #"{"method":"inPerson"}"#).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/requests/\(request)/cancel", token: theirs).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/requests/\(request)/fulfil?ground=legalClaims", token: theirs).expectProblem(.notFound)
            try await Self.file(fixture, theirs, kind: "erasure", contact: id).expectProblem(.notFound)
            try await fixture.json(.get, "/api/v1/contacts/\(id)/requests", token: theirs).expectProblem(.notFound)
            let queue = try await fixture.json(.get, "/api/v1/requests", token: theirs)
            #expect((queue.object["items"] as? [Any])?.isEmpty == true)
            #expect(queue.object["open"] as? Int == 0)
            // Ours, untouched.
            #expect(try await fixture.json(.get, "/api/v1/requests/\(request)", token: dpo).object["state"] as? String == "received")
            #expect(try await fixture.json(.get, "/api/v1/requests", token: dpo).object["open"] as? Int == 1)
        }
    }

    @Test("deadlines: the queue puts the overdue first; an extension is one or two months, on an allowed ground, within the first month")
    func deadlines() async throws {
        let now = NIOLockedValueBox(ISO8601DateFormatter().date(from: "2027-01-31T09:00:00Z")!)
        try await ServerFixture.with(clock: WallClock { now.withLockedValue { $0 } }) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let first = try #require(try await Self.file(fixture, dpo, kind: "access", contact: try await Self.contact(fixture, 0)).object["id"] as? String)
            now.withLockedValue { $0 = $0.addingTimeInterval(10 * 86_400) }
            let dpo10 = try await fixture.login("dpo@demo.test")
            let second = try #require(try await Self.file(fixture, dpo10, kind: "erasure", contact: try await Self.contact(fixture, 1)).object["id"] as? String)
            let third = try #require(try await Self.file(fixture, dpo10, kind: "objection", contact: try await Self.contact(fixture, 2)).object["id"] as? String)

            // A letter that arrived on 20 January, keyed in now: its month runs from its arrival.
            let letter = try await Self.file(fixture, dpo10, kind: "restriction", contact: try await Self.contact(fixture, 3), channel: "letter",
                                             extra: #","receivedAt":"2027-01-20T08:00:00Z""#)
            #expect((letter.object["dueAt"] as? String)?.hasPrefix("2027-02-20T23:59:59") == true, "\(letter.text)")
            try await Self.file(fixture, dpo10, kind: "restriction", contact: try await Self.contact(fixture, 3), channel: "phone",
                                extra: #","receivedAt":"2027-01-20T08:00:00Z""#).expectProblem(.badRequest)
            try await Self.file(fixture, dpo10, kind: "restriction", contact: try await Self.contact(fixture, 3), channel: "letter",
                                extra: #","receivedAt":"2026-12-01T08:00:00Z""#).expectProblem(.badRequest)
            let letterID = try #require(letter.object["id"] as? String)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(letterID)/cancel", token: dpo10).status == .ok)
            // The first is due at the end of 28 February (there is no 31st), the other two at the end of 10 March.
            let extended = try await fixture.json(.post, "/api/v1/requests/\(second)/extend", token: dpo10, body: #"{"months":2,"reason":"complexity"}"#)
            #expect(extended.status == .ok, "\(extended.text)")
            #expect((extended.object["dueAt"] as? String)?.hasPrefix("2027-05-10") == true, "\(extended.text)")
            #expect(extended.object["extended"] as? String == "complexity")
            try await fixture.json(.post, "/api/v1/requests/\(second)/extend", token: dpo10, body: #"{"months":1,"reason":"complexity"}"#)
                .expectProblem(.conflict)
            try await fixture.json(.post, "/api/v1/requests/\(third)/extend", token: dpo10, body: #"{"months":3,"reason":"complexity"}"#)
                .expectProblem(.badRequest)
            try await fixture.json(.post, "/api/v1/requests/\(third)/extend", token: dpo10, body: #"{"months":1,"reason":"holidays"}"#)
                .expectProblem(.badRequest)

            now.withLockedValue { $0 = ISO8601DateFormatter().date(from: "2027-03-04T09:00:00Z")! }
            let dpoNow = try await fixture.login("dpo@demo.test")
            let queue = try await fixture.json(.get, "/api/v1/requests", token: dpoNow)
            let items = (queue.object["items"] as? [[String: Any]]) ?? []
            #expect(items.compactMap { $0["id"] as? String } == [first, third, second])
            #expect(items.first?["overdue"] as? Bool == true)
            #expect(items.dropFirst().first?["dueSoon"] as? Bool == true)
            #expect(queue.object["overdue"] as? Int == 1)
            #expect(queue.object["open"] as? Int == 3)
            // Past the first month the first can no longer be extended.
            try await fixture.json(.post, "/api/v1/requests/\(first)/extend", token: dpoNow, body: #"{"months":1,"reason":"numberOfRequests"}"#)
                .expectProblem(.conflict)
            // A page at a time.
            let page = try await fixture.json(.get, "/api/v1/requests?limit=2", token: dpoNow)
            let cursor = try #require(page.object["nextCursor"] as? String)
            let rest = try await fixture.json(.get, "/api/v1/requests?limit=2&cursor=\(cursor)", token: dpoNow)
            #expect(((rest.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [second])
        }
    }

    @Test("a repeat is linked and answered with the first; restriction, objections and corrections are carried out",
          arguments: TestDatabase.engines)
    func carryingOut(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            func verify(_ request: String) async throws {
                #expect(try await fixture.json(.post, "/api/v1/requests/\(request)/verify", token: dpo, body: #"{"method":"identityDocument"}"#).status == .ok)
            }

            // Restriction, asked twice.
            let a = try await Self.contact(fixture, 6)
            let first = try #require(try await Self.file(fixture, dpo, kind: "restriction", contact: a).object["id"] as? String)
            let again = try await Self.file(fixture, dpo, kind: "restriction", contact: a, channel: "email")
            #expect(again.object["duplicateOf"] as? String == first, "\(again.text)")
            let repeatID = try #require(again.object["id"] as? String)
            try await verify(first)
            try await verify(repeatID)
            try await fixture.json(.post, "/api/v1/requests/\(first)/fulfil", token: dpo).expectProblem(.badRequest)
            let restricted = try await fixture.json(.post, "/api/v1/requests/\(first)/fulfil?ground=accuracyContested", token: dpo)
            #expect(restricted.object["state"] as? String == "completed", "\(restricted.text)")
            #expect(try await fixture.json(.get, "/api/v1/requests/\(repeatID)", token: dpo).object["state"] as? String == "completed")
            let limits = try await fixture.json(.get, "/api/v1/contacts/\(a)/restriction", token: dpo)
            #expect(limits.object["restricted"] as? Bool == true)
            #expect(limits.object["ground"] as? String == "accuracyContested")
            // A new one after the first was answered is not a repeat.
            #expect(try await Self.file(fixture, dpo, kind: "restriction", contact: a).object["duplicateOf"] == nil)

            // An unverified repeat is not answered with the first: its sender was never recognised.
            let unverifiedRepeat = try #require(try await Self.file(fixture, dpo, kind: "access", contact: a).object["id"] as? String)
            let repeatOfAccess = try await Self.file(fixture, dpo, kind: "access", contact: a, channel: "email")
            #expect(repeatOfAccess.object["duplicateOf"] as? String == unverifiedRepeat)
            try await verify(unverifiedRepeat)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(unverifiedRepeat)/fulfil", token: dpo).status == .ok)
            let stillOpen = try await fixture.json(.get, "/api/v1/requests/\(try #require(repeatOfAccess.object["id"] as? String))", token: dpo)
            #expect(stillOpen.object["state"] as? String == "received")

            // Objection to a purpose, and to direct marketing: different asks, not repeats of each other.
            let b = try await Self.contact(fixture, 7)
            let toPurpose = try #require(try await Self.file(fixture, dpo, kind: "objection", contact: b, extra: #","purpose":"outbound_marketing""#)
                .object["id"] as? String)
            #expect(try await Self.file(fixture, dpo, kind: "objection", contact: b).object["duplicateOf"] == nil)
            try await verify(toPurpose)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(toPurpose)/fulfil", token: dpo).object["state"] as? String == "completed")
            let objections = try await fixture.json(.get, "/api/v1/contacts/\(b)/restriction", token: dpo).object["objections"] as? [[String: Any]]
            #expect(objections?.compactMap { $0["purpose"] as? String } == ["outbound_marketing"])
            let before = try await fixture.json(.get, "/api/v1/suppressions", token: supervisor).object
            let c = try await Self.contact(fixture, 8)
            let marketing = try #require(try await Self.file(fixture, dpo, kind: "objection", contact: c).object["id"] as? String)
            try await verify(marketing)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(marketing)/fulfil", token: dpo).status == .ok)
            let after = try await fixture.json(.get, "/api/v1/suppressions", token: supervisor).object
            #expect(after["phone"] as? Int == (before["phone"] as? Int ?? 0) + 1)
            #expect(after["email"] as? Int == (before["email"] as? Int ?? 0) + 1)
            // The person's own entry: the supervisor cannot lift it.
            try await fixture.json(.post, "/api/v1/suppressions/remove", token: supervisor, body: """
                {"channel":"phone","value":"\(fixture.people[8]["phone"]!)"}
                """).expectProblem(.forbidden)

            // A correction: checked when filed, sealed until carried out, audited by field name only.
            let d = try await Self.contact(fixture, 9)
            let corrected = "Rua das Flores 12, 4050-262 Porto"
            let filed = try await Self.file(fixture, dpo, kind: "rectification", contact: d, extra: #","changes":{"address":"\#(corrected)"}"#)
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.object["changedFields"] as? [String] == ["address"])
            let correction = try #require(filed.object["id"] as? String)
            let correctionID = try #require(SubjectRequestID(correction))
            let org = try await fixture.organization()
            let sealed = try #require(try await RequestStore(fixture.services.data).find(correctionID, org: org)?.sealedChanges)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("Flores"))
            if engine == .sqlite {
                _ = try await fixture.services.data.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
                let raw = try Data(contentsOf: URL(fileURLWithPath: "\(fixture.database.directory)/guardline.sqlite"))
                #expect(raw.range(of: Data("Flores".utf8)) == nil, "the correction is nowhere in clear")
            }
            try await verify(correction)
            let pending = try await fixture.json(.get, "/api/v1/requests/\(correction)", token: dpo)
            #expect(pending.object["state"] as? String == "awaitingApproval")
            // The approver sees what they approve; whoever verified does not also approve.
            #expect((pending.object["proposedChanges"] as? [String: String])?["address"] == corrected)
            try await fixture.json(.post, "/api/v1/requests/\(correction)/fulfil", token: dpo).expectProblem(.forbidden)
            // Nor through a token the verifier made: the same person behind another credential.
            let minted = try await fixture.json(.post, "/api/v1/tokens", token: dpo, body: #"{"name":"second pair of eyes","scopes":["contacts.write"]}"#)
            let ownToken = try #require(minted.object["token"] as? String, "\(minted.text)")
            try await fixture.json(.post, "/api/v1/requests/\(correction)/fulfil", token: ownToken).expectProblem(.forbidden)
            let second = try await Self.secondDPO(fixture)
            #expect(try await fixture.json(.post, "/api/v1/requests/\(correction)/fulfil", token: second).object["state"] as? String == "completed")
            // Once answered, the proposed values are gone.
            #expect(try await RequestStore(fixture.services.data).find(correctionID, org: org)?.sealedChanges == nil)
            #expect(try await fixture.json(.get, "/api/v1/contacts/\(d)", token: dpo).object.fields["address"] == corrected)
            let audit = try await fixture.json(.get, "/api/v1/audit?contactId=\(d)&limit=200", token: dpo)
            let entries = (audit.object["items"] as? [[String: Any]]) ?? []
            #expect(entries.contains { $0["action"] as? String == "contact.update" && ($0["fields"] as? [String]) == ["address"] })
            #expect(!entries.contains { "\($0)".contains("Flores") })
        }
    }

    @Test("carrying out and cancelling an erasure at the same instant: the person is erased exactly when the request says completed",
          arguments: TestDatabase.engines)
    func fulfilAgainstCancel(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine) { fixture in
            let dpo = try await fixture.login("dpo@demo.test")
            let second = try await Self.secondDPO(fixture)
            for index in 0..<4 {
                let contact = try await Self.contact(fixture, index)
                let filed = try await Self.file(fixture, dpo, kind: "erasure", contact: contact, channel: "letter")
                let id = try #require(filed.object["id"] as? String)
                _ = try await fixture.json(.post, "/api/v1/requests/\(id)/verify", token: dpo, body: #"{"method":"identityDocument"}"#)
                async let fulfilled = fixture.json(.post, "/api/v1/requests/\(id)/fulfil", token: second)
                async let cancelled = fixture.json(.post, "/api/v1/requests/\(id)/cancel", token: dpo)
                let outcomes = try await [fulfilled.status, cancelled.status]
                #expect(outcomes.filter { $0 == .ok }.count == 1, "\(outcomes)")
                let state = try await fixture.json(.get, "/api/v1/requests/\(id)", token: dpo).object["state"] as? String
                let erased = try await fixture.json(.get, "/api/v1/contacts/\(contact)", token: dpo).status != .ok
                #expect(erased == (state == "completed"), "state \(state ?? "?"), erased \(erased)")
            }
        }
    }
}
