import Foundation
import GuardlineCore
import Testing

/// The deadlines of Art. 12(3), how a request may move, and who may say a person was recognised (Art. 12(6)).
@Suite("Subject request rules (Art12_3, Art12_6)") struct SubjectRequestRulesTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func request(_ kind: RequestKind = .access, state: RequestState = .received, channel: RequestChannel = .phone,
                        receivedAt: Date = date("2027-01-31T10:00:00Z")) -> SubjectRequest {
        SubjectRequest(id: .make(at: receivedAt), orgID: Fixture.org, contactID: Fixture.contact, kind: kind, channel: channel, state: state,
                       receivedAt: receivedAt, dueAt: RequestDeadline.due(receivedAt: receivedAt), updatedAt: receivedAt)
    }

    /// The last instant of the day before `day` (UTC).
    static func endOfDayBefore(_ day: String) -> Date { date("\(day)T00:00:00Z").addingTimeInterval(-0.001) }

    @Test("a request is due at the end of the day one calendar month after receipt; the 31st falls back to the month's last day")
    func calendarMonth() throws {
        #expect(RequestDeadline.due(receivedAt: Self.date("2027-01-31T10:00:00Z")) == Self.endOfDayBefore("2027-03-01"))
        #expect(RequestDeadline.due(receivedAt: Self.date("2028-01-31T10:00:00Z")) == Self.endOfDayBefore("2028-03-01"))
        #expect(RequestDeadline.due(receivedAt: Self.date("2027-03-15T23:30:00Z")) == Self.endOfDayBefore("2027-04-16"))
        #expect(RequestDeadline.due(receivedAt: Self.date("2027-12-05T00:00:00Z")) == Self.endOfDayBefore("2028-01-06"))
        #expect(RequestDeadline.day(Self.date("2027-02-28T23:59:00Z")) == "2027-02-28")
        // A letter keyed in late runs from when it arrived, at most a month back, never from the future.
        let now = Self.date("2027-02-10T09:00:00Z")
        try RequestDeadline.checkReceived(Self.date("2027-01-20T09:00:00Z"), now: now)
        #expect(throws: GuardlineError.self) { try RequestDeadline.checkReceived(Self.date("2027-01-05T09:00:00Z"), now: now) }
        #expect(throws: GuardlineError.self) { try RequestDeadline.checkReceived(Self.date("2027-02-11T09:00:00Z"), now: now) }
    }

    @Test("an extension adds one or two months, is decided within the first month, and never passes three in all")
    func extensions() throws {
        var request = Self.request()
        let early = Self.date("2027-02-10T00:00:00Z")
        #expect(throws: GuardlineError.self) { try RequestDeadline.extended(request, by: 3, at: early) }
        #expect(throws: GuardlineError.self) { try RequestDeadline.extended(request, by: 0, at: early) }
        // After the first month the person can no longer be told in time.
        #expect(throws: GuardlineError.self) { try RequestDeadline.extended(request, by: 1, at: Self.date("2027-03-01T00:00:00Z")) }
        request.dueAt = try RequestDeadline.extended(request, by: 1, at: early)
        #expect(request.dueAt == Self.endOfDayBefore("2027-04-01"))
        request.dueAt = try RequestDeadline.extended(request, by: 2, at: early)
        #expect(request.dueAt == Self.endOfDayBefore("2027-05-01"))
        #expect(throws: GuardlineError.self) { try RequestDeadline.extended(request, by: 2, at: early) }
        #expect(throws: GuardlineError.self) { try RequestDeadline.extended(Self.request(state: .completed), by: 1, at: early) }
    }

    @Test("due soon and overdue are told apart; a closed request is neither")
    func urgency() {
        let request = Self.request()
        #expect(RequestDeadline.isDueSoon(request, at: Self.date("2027-02-22T10:00:00Z")))
        #expect(!RequestDeadline.isDueSoon(request, at: Self.date("2027-02-10T10:00:00Z")))
        #expect(!request.isOverdue(at: Self.date("2027-02-28T23:59:59Z")))
        #expect(request.isOverdue(at: Self.date("2027-03-01T00:00:00Z")))
        #expect(!Self.request(state: .completed).isOverdue(at: Self.date("2027-06-01T00:00:00Z")))
        #expect(!RequestDeadline.isDueSoon(Self.request(state: .rejected), at: Self.date("2027-02-22T10:00:00Z")))
    }

    @Test("identity comes first; changes and erasures wait for approval; the final states are final")
    func workflow() throws {
        #expect(RequestWorkflow.afterVerification(.erasure) == .awaitingApproval)
        #expect(RequestWorkflow.afterVerification(.rectification) == .awaitingApproval)
        #expect(RequestWorkflow.afterVerification(.access) == .inProgress)
        #expect(!RequestWorkflow.allows(.received, .completed))
        #expect(!RequestWorkflow.allows(.verifyingIdentity, .completed))
        #expect(RequestWorkflow.allows(.inProgress, .completed))
        #expect(RequestWorkflow.allows(.awaitingApproval, .completed))
        #expect(!RequestWorkflow.allows(.inProgress, .inProgress))
        for final in [RequestState.completed, .rejected, .cancelled] {
            for next in RequestState.allCases { #expect(!RequestWorkflow.allows(final, next)) }
        }
        for open in RequestState.allCases where open.isOpen {
            #expect(RequestWorkflow.allows(open, .rejected))
            #expect(RequestWorkflow.allows(open, .cancelled))
        }
        let error = #expect(throws: GuardlineError.self) { try RequestWorkflow.check(Self.request(), to: .completed) }
        #expect(error?.message.contains("not verified") == true)
    }

    @Test("an agent vouches for a caller only on the live call the phone system handed them with that person")
    func verificationOnACall() throws {
        let agent = UserID.make(), other = UserID.make()
        let now = Self.date("2027-02-01T10:00:00Z")
        let request = Self.request(receivedAt: now)
        func call(contact: ContactID? = Fixture.contact, agent: UserID = agent, source: InteractionSource = .cti, answered: Bool = true,
                  channel: InteractionChannel = .voice) -> Interaction {
            Interaction(id: .make(at: now), orgID: Fixture.org, contactID: contact, channel: channel, direction: .inbound,
                        state: answered ? .active : .ringing, source: source, agentID: agent, startedAt: now.addingTimeInterval(-60),
                        answeredAt: answered ? now.addingTimeInterval(-50) : nil, updatedAt: now)
        }
        func check(_ method: VerificationMethod, handles: Bool = false, _ interaction: Interaction?, _ r: SubjectRequest = request) throws {
            try RequestVerification.check(method, request: r, handlesRequests: handles, call: interaction, user: agent, now: now, wrapUp: 300)
        }
        try check(.knowledgeQuestions, call())
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, nil) }
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, call(contact: ContactID.make())) }
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, call(agent: other)) }
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, call(source: .agent)) }
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, call(answered: false)) }
        #expect(throws: GuardlineError.self) { try check(.knowledgeQuestions, call(channel: .chat)) }
        #expect(throws: GuardlineError.self) { try check(.identityDocument, call()) }
        // Codes are the portal's own; an upstream controller's word only on what it sent.
        #expect(throws: GuardlineError.self) { try check(.emailCode, handles: true, nil) }
        #expect(throws: GuardlineError.self) { try check(.smsCode, handles: true, nil) }
        #expect(throws: GuardlineError.self) { try check(.upstreamController, handles: true, nil) }
        try check(.upstreamController, handles: true, nil, Self.request(channel: .api, receivedAt: now))
        try check(.identityDocument, handles: true, nil)
        // A profile that shows only the number the caller rings from has nothing to ask about.
        #expect(throws: GuardlineError.self) {
            try RequestVerification.check(.knowledgeQuestions, request: request, handlesRequests: false, call: call(), user: agent, now: now,
                                          wrapUp: 300, knowsDetails: false)
        }
        #expect(!RequestVerification.knowsDetails(Fixture.profile(StandardProfiles.outboundSales), catalog: .standard))
        #expect(RequestVerification.knowsDetails(Fixture.profile(StandardProfiles.inboundSupport), catalog: .standard))
    }

    @Test("a repeat takes the answer only when it fits: completion if its person was recognised, refusal unless for identity")
    func repeats() {
        let verified = Self.request(state: .inProgress), unverified = Self.request()
        #expect(RequestWorkflow.followsAnswer(verified, state: .completed, rejection: nil))
        #expect(!RequestWorkflow.followsAnswer(unverified, state: .completed, rejection: nil))
        #expect(RequestWorkflow.followsAnswer(unverified, state: .rejected, rejection: .excessive))
        #expect(!RequestWorkflow.followsAnswer(verified, state: .rejected, rejection: .identityNotVerified))
        #expect(!RequestWorkflow.followsAnswer(Self.request(state: .cancelled), state: .rejected, rejection: .excessive))
        #expect(!RequestWorkflow.mayRepeat(.rectification))
        #expect(RequestWorkflow.mayRepeat(.objection))
    }
}
