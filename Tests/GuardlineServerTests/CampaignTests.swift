import Foundation
import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import SQLKit
import Synchronization
import Testing

@testable import GuardlineServer

/// Outbound campaigns reach only people with a lawful basis for the purpose on the
/// channel (Art. 6, Art. 7(3), Art. 18, Art. 21): the list build says how many it
/// left off and why, the dialer checks again before it offers anyone, shows only
/// what the agent's profile allows, and "do not call me" suppresses the number.
@Suite("Campaigns, list builds and preview dialing (Art6, Art7_3, Art18, Art21)") struct CampaignTests {
    /// Wednesday 2 December 2026, 10:00 UTC (inside weekday calling hours all over Europe),
    /// advancing a millisecond a reading, so events keep their order.
    static func morning() -> WallClock {
        let now = Mutex(Date(timeIntervalSince1970: 1_796_205_600))
        return WallClock { now.withLock { $0 = $0.addingTimeInterval(0.001); return $0 } }
    }

    func ids(_ fixture: ServerFixture, as token: String) async throws -> [String] {
        var ids: [String] = []
        for person in fixture.people { ids.append(try #require(try await fixture.lookup(phone: person["phone"]!, as: token).first?["id"] as? String)) }
        return ids
    }

    func campaign(_ fixture: ServerFixture, _ token: String, _ extra: String = "") async throws -> String {
        let created = try await fixture.json(.post, "/api/v1/campaigns", token: token, body: """
            {"name":"Winter offer","purpose":"outbound_marketing","channel":"phone","stages":["customer"]\(extra)}
            """)
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.object["id"] as? String)
    }

    func consent(_ fixture: ServerFixture, _ id: String, _ decision: String, as token: String) async throws {
        let response = try await fixture.json(.post, "/api/v1/contacts/\(id)/consents", token: token, body: """
            {"purpose":"outbound_marketing","channel":"phone","decision":"\(decision)"}
            """)
        #expect(response.status == .created, "\(response.text)")
    }

    @Test("the build counts each reason, the dialer offers only the lawful contact, and do-not-call suppresses it", arguments: TestDatabase.engines)
    func buildAndDial(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine, clock: Self.morning()) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let ids = try await ids(fixture, as: inbound)
            for index in 0...5 { try await consent(fixture, ids[index], "granted", as: inbound) }
            try await consent(fixture, ids[1], "withdrawn", as: inbound)
            #expect(try await fixture.json(.put, "/api/v1/contacts/\(ids[2])/restriction", token: dpo, body: #"{"restricted":true,"ground":"accuracyContested"}"#).status == .ok)
            let objected = try await fixture.json(.post, "/api/v1/contacts/\(ids[3])/objections", token: dpo, body: #"{"purpose":"outbound_marketing"}"#)
            #expect(objected.status == .ok, "\(objected.text)")
            #expect((objected.object["objections"] as? [[String: Any]])?.first?["purpose"] as? String == "outbound_marketing")
            let suppressed = try await fixture.json(.post, "/api/v1/suppressions", token: supervisor, body: """
                {"channel":"phone","value":"\(fixture.people[4]["phone"]!)"}
                """)
            #expect(suppressed.status == .created)
            #expect(suppressed.object["added"] as? Bool == true)
            #expect(try await fixture.json(.delete, "/api/v1/contacts/\(ids[5])", token: dpo).status == .noContent)

            let id = try await campaign(fixture, supervisor)
            let build = try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor)
            #expect(build.status == .ok, "\(build.text)")
            #expect(build.object["included"] as? Int == 1)
            let excluded = try #require(build.object["excluded"] as? [String: Int])
            #expect(excluded == ["erased": 1, "restricted": 1, "objection": 1, "noLawfulBasis": 7, "suppressed": 1, "unreachable": 0])

            // The outbound agent gets the one lawful contact, phone only, and the read is recorded.
            let offer = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound)
            #expect(offer.status == .ok, "\(offer.text)")
            let contact = try #require(offer.object["contact"] as? [String: Any])
            #expect(contact["id"] as? String == ids[0])
            #expect(Set((contact["fields"] as? [String: Any])?.keys.map { $0 } ?? []) == ["phone"])
            // Asking again hands back the same offer, not a second contact.
            let again = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound)
            #expect((again.object["contact"] as? [String: Any])?["id"] as? String == ids[0])

            let outcome = try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: outbound, body: """
                {"contactId":"\(ids[0])","outcome":"doNotCall"}
                """)
            #expect(outcome.status == .ok, "\(outcome.text)")
            #expect(outcome.object["state"] as? String == "done")
            // "Do not call me" is also an objection to the purpose, on every channel.
            let limits = try await fixture.json(.get, "/api/v1/contacts/\(ids[0])/restriction", token: dpo)
            #expect((limits.object["objections"] as? [[String: Any]])?.compactMap { $0["purpose"] as? String } == ["outbound_marketing"])
            let counts = try await fixture.json(.get, "/api/v1/suppressions", token: supervisor)
            #expect(counts.object["phone"] as? Int == 2)
            #expect(counts.object["email"] as? Int == 0)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound).status == .noContent)
            // The person's own "do not call me" is theirs: the supervisor cannot lift it, the DPO can.
            // One the supervisor added, the supervisor can take off again.
            let own = #"{"channel":"phone","value":"\#(fixture.people[0]["phone"]!)"}"#
            try await fixture.json(.post, "/api/v1/suppressions/remove", token: supervisor, body: own).expectProblem(.forbidden)
            // The refusal tells the supervisor why the number is listed, so the try is on record.
            let removals = try await fixture.json(.get, "/api/v1/audit?action=suppression.remove", token: dpo).object["items"] as? [[String: Any]] ?? []
            #expect(removals.contains { ($0["context"] as? String) == "kind phone source outcome refused" })
            #expect(try await fixture.json(.post, "/api/v1/suppressions", token: supervisor, body: own).object["added"] as? Bool == false)
            #expect(try await fixture.json(.post, "/api/v1/suppressions/remove", token: dpo, body: own).status == .noContent)
            #expect(try await fixture.json(.post, "/api/v1/suppressions/remove", token: supervisor, body: #"{"channel":"phone","value":"\#(fixture.people[4]["phone"]!)"}"#).status == .noContent)
            #expect(try await fixture.json(.post, "/api/v1/suppressions", token: supervisor, body: own).object["added"] as? Bool == true)

            // The suppression list holds hashes: no number, in any form, in the table.
            let digits = fixture.people[0]["phone"]!.filter(\.isNumber)
            for row in try await fixture.services.data.sql.raw("SELECT hash FROM suppression").all() {
                let hash = try row.decode(column: "hash", as: Data.self)
                #expect(hash.count == 32)
                #expect(String(decoding: hash, as: UTF8.self).contains(digits) == false)
            }
            // A rebuild keeps the finished entry and does not list that contact again; it lists the
            // one whose number the supervisor took off the list, and nobody else.
            let rebuilt = try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor)
            #expect(rebuilt.object["included"] as? Int == 1)
            #expect((rebuilt.object["excluded"] as? [String: Int])?["suppressed"] == 0)
            let relisted = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound)
            #expect((relisted.object["contact"] as? [String: Any])?["id"] as? String == ids[4])
            let shown = try await fixture.json(.get, "/api/v1/campaigns/\(id)", token: supervisor)
            #expect((shown.object["progress"] as? [String: Int])?["done"] == 1)

            let audit = try await fixture.json(.get, "/api/v1/audit?limit=200", token: dpo).object["items"] as? [[String: Any]] ?? []
            let actions = audit.compactMap { $0["action"] as? String }
            #expect(audit.contains { $0["action"] as? String == "suppression.remove" && $0["context"] as? String == "kind phone source outcome" })
            for action in ["campaign.create", "campaign.build", "campaign.built", "campaign.outcome", "suppression.add", "contact.restrict", "contact.object"] {
                #expect(actions.contains(action), "\(action)")
            }
            let built = try #require(audit.last { $0["action"] as? String == "campaign.built" })
            #expect((built["context"] as? String)?.contains("included 1 excluded erased 1 restricted 1 objection 1 noLawfulBasis 7 suppressed 1 unreachable 0") == true)
            #expect(audit.contains { $0["action"] as? String == "contact.read" && $0["context"] as? String == "campaign \(id) preview" })
            let everything = audit.map { "\($0)" }.joined()
            #expect(!everything.contains(digits), "no number in the audit trail")
            #expect(!everything.contains("Winter offer"), "the campaign's name stays out of the chain")
        }
    }

    @Test("calling hours in the contact's zone, retries up to the maximum, and a withdrawal after the build", arguments: TestDatabase.engines)
    func hoursAndRetries(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine, clock: Self.morning()) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let ids = try await ids(fixture, as: inbound)
            for index in 0...1 { try await consent(fixture, ids[index], "granted", as: inbound) }

            // A window that is closed everywhere in Europe at 10:00 UTC: nothing is due.
            let night = try await campaign(fixture, supervisor, #","callingHours":{"start":"23:00","end":"23:30","days":[1,2,3,4,5,6,7]}"#)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(night)/list", token: supervisor).object["included"] as? Int == 2)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(night)/next", token: outbound).status == .noContent)
            let waiting = try await fixture.json(.get, "/api/v1/campaigns/\(night)", token: supervisor)
            #expect((waiting.object["progress"] as? [String: Int])?["pending"] == 2, "deferred, not dropped")

            let id = try await campaign(fixture, supervisor, #","maxAttempts":2"#)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor).object["included"] as? Int == 2)
            // Consent withdrawn after the build: the dialer checks again and skips them.
            try await consent(fixture, ids[0], "withdrawn", as: inbound)
            for attempt in 1...2 {
                let offer = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound)
                #expect((offer.object["contact"] as? [String: Any])?["id"] as? String == ids[1])
                #expect(offer.object["attempts"] as? Int == attempt - 1)
                let outcome = try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: outbound, body: """
                    {"contactId":"\(ids[1])","outcome":"noAnswer"}
                    """)
                #expect(outcome.object["state"] as? String == (attempt == 2 ? "done" : "pending"), "\(outcome.text)")
                if attempt == 1 {
                    // A rebuild leaves a worked entry as it is: its attempts are not reset.
                    let rebuilt = try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor)
                    #expect(rebuilt.object["included"] as? Int == 0, "\(rebuilt.text)")
                }
            }
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound).status == .noContent)
            let progress = try await fixture.json(.get, "/api/v1/campaigns/\(id)", token: supervisor).object["progress"] as? [String: Int]
            #expect(progress == ["pending": 0, "offered": 0, "done": 1, "excluded": 11], "ten never listed, one withdrawn since")
        }
    }

    @Test("ten agents asking at once are offered each lawful contact once", arguments: TestDatabase.engines)
    func parallelOffers(engine: TestDatabase.Engine) async throws {
        try await ServerFixture.with(engine, clock: Self.morning()) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let ids = try await ids(fixture, as: inbound)
            for index in 0...1 { try await consent(fixture, ids[index], "granted", as: inbound) }
            let id = try await campaign(fixture, supervisor)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor).object["included"] as? Int == 2)
            let org = try await fixture.organization()
            let profile = try #require(try await fixture.services.profiles.all(org: org).first { $0.name == "Outbound Sales" })
            var tokens: [String] = []
            for n in 0..<10 {
                try await fixture.services.users.create(
                    StaffUser(id: .make(), orgID: org, email: "dialer\(n)@demo.test", name: "Dialer \(n)", role: .agent, teamID: nil,
                              profileID: profile.id, disabled: false, createdAt: Date()),
                    passwordHash: try await fixture.services.passwords.hash(ServerFixture.password))
                tokens.append(try await fixture.login("dialer\(n)@demo.test"))
            }
            let offered = try await withThrowingTaskGroup(of: String?.self) { group in
                for token in tokens {
                    group.addTask {
                        let offer = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: token)
                        return (offer.object["contact"] as? [String: Any])?["id"] as? String
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(offered.sorted() == [ids[0], ids[1]].sorted(), "each contact offered to one agent only")
        }
    }

    @Test("what other roles, tokens, tenants and bad input try stores nothing")
    func refusals() async throws {
        try await ServerFixture.with(clock: Self.morning()) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let dpo = try await fixture.login("dpo@demo.test")
            let ids = try await ids(fixture, as: inbound)
            let body = #"{"name":"Winter offer","purpose":"outbound_marketing","channel":"phone"}"#
            // Agents do not create or build; the supervisor does not dial; the inbound agent sees no campaigns.
            try await fixture.json(.post, "/api/v1/campaigns", token: outbound, body: body).expectProblem(.forbidden)
            try await fixture.json(.get, "/api/v1/campaigns", token: inbound).expectProblem(.forbidden)
            for bad in [
                #"{"name":"x","purpose":"no_such","channel":"phone"}"#,
                #"{"name":"x","purpose":"call_recording","channel":"email"}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"fax"}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","stages":["vip"]}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","callingHours":{"start":"20:00","end":"09:00","days":[1]}}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","callingHours":{"start":"09:00","end":"20:00","days":[8]}}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","timeZone":"Mars/Olympus"}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","maxAttempts":0}"#,
                #"{"name":"  ","purpose":"outbound_marketing","channel":"phone"}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone","filter":"all"}"#,
                #"{"name":"x","purpose":"outbound_marketing"}"#,
                #"{"name":"x","purpose":"outbound_marketing","channel":"phone""#,
            ] {
                try await fixture.json(.post, "/api/v1/campaigns", token: supervisor, body: bad).expectProblem(.badRequest)
            }
            let stored = try await fixture.services.data.sql.raw("SELECT COUNT(*) AS n FROM campaign").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 0)

            let id = try await campaign(fixture, supervisor)
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: outbound).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: supervisor).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/campaigns/\(UUID().uuidString)/next", token: outbound).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/campaigns/not-an-id/list", token: supervisor).expectProblem(.notFound)
            // An outcome for a contact the agent was not offered is refused and changes nothing.
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: outbound, body: """
                {"contactId":"\(ids[0])","outcome":"doNotCall"}
                """).expectProblem(.conflict)
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: outbound, body: """
                {"contactId":"\(ids[0])","outcome":"hangUp"}
                """).expectProblem(.badRequest)
            // A read-only token of the outbound agent cannot record outcomes.
            let token = try await fixture.json(.post, "/api/v1/tokens", token: outbound, body: #"{"name":"dialer","scopes":["contacts.read"]}"#)
            let readOnly = try #require(token.object["token"] as? String)
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: readOnly, body: """
                {"contactId":"\(ids[0])","outcome":"reached"}
                """).expectProblem(.forbidden)
            // The suppression list: supervisors only, valid numbers only, the value never echoed.
            try await fixture.json(.post, "/api/v1/suppressions", token: outbound, body: #"{"channel":"phone","value":"+351912345678"}"#)
                .expectProblem(.forbidden)
            let badNumber = try await fixture.json(.post, "/api/v1/suppressions", token: supervisor, body: #"{"channel":"phone","value":"777 123 456"}"#)
                .expectProblem(.badRequest)
            #expect(!badNumber.contains("777"), "the refused value is not echoed")
            try await fixture.json(.post, "/api/v1/suppressions", token: supervisor, body: #"{"channel":"email","value":"not an address"}"#)
                .expectProblem(.badRequest)
            try await fixture.json(.post, "/api/v1/suppressions/remove", token: supervisor, body: #"{"channel":"phone","value":"+351912345678"}"#)
                .expectProblem(.notFound)
            let suppressions = try await fixture.services.data.sql.raw("SELECT COUNT(*) AS n FROM suppression").first()?.decode(column: "n", as: Int.self)
            #expect(suppressions == 0)
            // Restriction and objection are the DPO's; agents and supervisors are refused.
            try await fixture.json(.put, "/api/v1/contacts/\(ids[0])/restriction", token: inbound, body: #"{"restricted":true,"ground":"accuracyContested"}"#).expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/contacts/\(ids[0])/objections", token: supervisor, body: #"{"purpose":"outbound_marketing"}"#)
                .expectProblem(.forbidden)
            try await fixture.json(.post, "/api/v1/contacts/\(ids[0])/objections", token: dpo, body: #"{"purpose":"no_such"}"#).expectProblem(.badRequest)

            // Another organization's supervisor finds neither the campaign nor the contacts.
            let other = try await fixture.services.organizations.create(name: "Other Center", clock: fixture.services.clock)
            try await fixture.services.organizations.setMFARoles([], org: other.id)
            for (email, role, profileName) in [("sup@other.test", Role.supervisor, "Supervision"), ("dpo@other.test", Role.dpo, "Data Protection")] {
                let profile = try #require(try await fixture.services.profiles.all(org: other.id).first { $0.name == profileName })
                try await fixture.services.users.create(
                    StaffUser(id: .make(), orgID: other.id, email: email, name: "Other", role: role, teamID: nil, profileID: profile.id,
                              disabled: false, createdAt: Date()),
                    passwordHash: try await fixture.services.passwords.hash(ServerFixture.password))
            }
            let stranger = try await fixture.login("sup@other.test")
            try await fixture.json(.get, "/api/v1/campaigns/\(id)", token: stranger).expectProblem(.notFound)
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: stranger).expectProblem(.notFound)
            #expect((try await fixture.json(.get, "/api/v1/campaigns", token: stranger).object["items"] as? [Any])?.isEmpty == true)
            let otherDPO = try await fixture.login("dpo@other.test")
            try await fixture.json(.put, "/api/v1/contacts/\(ids[0])/restriction", token: otherDPO, body: #"{"restricted":true,"ground":"accuracyContested"}"#).expectProblem(.notFound)
            let restricted = try await fixture.services.data.sql.raw("SELECT COUNT(*) AS n FROM contact WHERE restricted_at IS NOT NULL").first()?
                .decode(column: "n", as: Int.self)
            #expect(restricted == 0)
        }
    }

    @Test("a withdrawal in the grant's own millisecond still wins; a wrong number is suppressed; a purpose that changes basis or channel stops its campaigns",
          arguments: TestDatabase.engines)
    func orderingAndPurposeChanges(engine: TestDatabase.Engine) async throws {
        // Every reading of the clock is the same instant: the grant and the withdrawal share a millisecond.
        let instant = Date(timeIntervalSince1970: 1_796_205_600)
        try await ServerFixture.with(engine, clock: WallClock { instant }) { fixture in
            let inbound = try await fixture.login("inbound@demo.test")
            let supervisor = try await fixture.login("supervisor@demo.test")
            let outbound = try await fixture.login("outbound@demo.test")
            let admin = try await fixture.login("admin@demo.test")
            let ids = try await ids(fixture, as: inbound)
            for _ in 0..<5 {
                try await consent(fixture, ids[0], "granted", as: inbound)
                try await consent(fixture, ids[0], "withdrawn", as: inbound)
            }
            try await consent(fixture, ids[1], "granted", as: inbound)
            let overview = try await fixture.json(.get, "/api/v1/contacts/\(ids[0])/consents", token: inbound)
            #expect((overview.object["current"] as? [[String: Any]])?.first?["decision"] as? String == "withdrawn")
            #expect((overview.object["history"] as? [[String: Any]])?.first?["decision"] as? String == "withdrawn")

            let id = try await campaign(fixture, supervisor)
            let build = try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor)
            #expect(build.object["included"] as? Int == 1, "\(build.text)")
            let offer = try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound)
            #expect((offer.object["contact"] as? [String: Any])?["id"] as? String == ids[1])
            let wrong = try await fixture.json(.post, "/api/v1/campaigns/\(id)/outcomes", token: outbound, body: """
                {"contactId":"\(ids[1])","outcome":"wrongNumber"}
                """)
            #expect(wrong.object["state"] as? String == "done", "\(wrong.text)")
            #expect(try await fixture.json(.get, "/api/v1/suppressions", token: supervisor).object["phone"] as? Int == 1)
            let limits = try await fixture.json(.get, "/api/v1/contacts/\(ids[1])/restriction", token: try await fixture.login("dpo@demo.test"))
            #expect((limits.object["objections"] as? [Any])?.isEmpty == true, "a wrong number is no objection of the contact's")

            // The admin moves the purpose to legitimate interest: the campaign built on consent stops.
            let basis = try await fixture.json(.put, "/api/v1/purposes/outbound_marketing", token: admin, body: """
                {"name":"Marketing calls","description":"Offers.","lawfulBasis":"legitimateInterest","retentionDays":730}
                """)
            #expect(basis.status == .ok, "\(basis.text)")
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor).expectProblem(.conflict).contains("legitimateInterest"))
            try await fixture.json(.post, "/api/v1/campaigns/\(id)/next", token: outbound).expectProblem(.conflict)
            // Back on consent, but no longer by phone: still stopped.
            #expect(try await fixture.json(.put, "/api/v1/purposes/outbound_marketing", token: admin, body: """
                {"name":"Marketing calls","description":"Offers.","lawfulBasis":"consent","retentionDays":730,"channels":["email"]}
                """).status == .ok)
            #expect(try await fixture.json(.post, "/api/v1/campaigns/\(id)/list", token: supervisor).expectProblem(.conflict).contains("phone"))
        }
    }

    @Test("one list build per organization at a time")
    func oneBuildAtATime() async throws {
        let gate = OrganizationGate(busy: "busy")
        let org = OrganizationID.make()
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        async let first: Int = gate.run(for: org) {
            starting.yield()
            for await _ in release { break }
            return 1
        }
        for await _ in started { break }
        await #expect(throws: GuardlineError.self) { try await gate.run(for: org) { 2 } }
        #expect(try await gate.run(for: .make()) { 3 } == 3, "another organization builds meanwhile")
        releasing.yield()
        #expect(try await first == 1)
        #expect(try await gate.run(for: org) { 4 } == 4, "free again once the first is done")
    }
}
