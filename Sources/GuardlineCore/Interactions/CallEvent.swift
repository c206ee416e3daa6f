import Foundation

/// What a PBX or CPaaS says about a call (`POST /cti/events`). Events may come twice
/// (retries) or out of order (separate webhooks race): applying them is idempotent and
/// gives the same interaction whatever order they arrive in.
public struct CallEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case ringing
        case answered
        case ended
        case transferred
    }

    public var kind: Kind
    /// The PBX's id of the call as Guardline keeps it: a keyed hash (`BlindIndex.Kind.call`).
    public var callKey: String
    /// The caller, or nil when the number is withheld.
    public var from: PhoneNumber?
    public var queue: String?
    /// The agent it rang at, was answered by or transferred to, as Guardline knows them.
    public var agent: UserID?
    public var agentTeam: TeamID?
    /// When it happened at the PBX (its clock), or when it arrived.
    public var at: Date

    public init(kind: Kind, callKey: String, from: PhoneNumber?, queue: String?, agent: UserID?, agentTeam: TeamID?, at: Date) {
        self.kind = kind
        self.callKey = callKey
        self.from = from
        self.queue = queue
        self.agent = agent
        self.agentTeam = agentTeam
        self.at = at
    }

    /// A call id as PBXs write them (Asterisk's `1700000000.42`, Twilio's `CA…`): printable
    /// ASCII without spaces, at most 128 characters.
    public static func isCallID(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// A queue name: letters, digits, `_ . - +` and spaces, at most 64: a label, not a place for data.
    public static func isQueue(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-+ ".contains($0)) }
    }
}

/// Folds call events into an interaction. The state only moves forward; the agent is
/// the one named by the latest answer or transfer by the PBX's time; times keep the
/// earliest start and answer. So any order of the same events folds to one result.
public enum CallProgress {
    /// The interaction a first event opens.
    public static func open(_ event: CallEvent, id: InteractionID, org: OrganizationID, contact: ContactID?, now: Date) -> Interaction {
        var interaction = Interaction(
            id: id, orgID: org, contactID: contact, channel: .voice, direction: .inbound, state: .ringing, source: .cti,
            queue: event.queue, callKey: event.callKey, startedAt: event.at, updatedAt: now)
        apply(event, to: &interaction, now: now)
        return interaction
    }

    /// Applies `event`; answers whether a screen pop is due: the call rang at, was answered by, or
    /// was moved to the agent now holding it (an answer pops again what the ring showed minimal).
    @discardableResult
    public static func apply(_ event: CallEvent, to interaction: inout Interaction, now: Date) -> Bool {
        interaction.startedAt = min(interaction.startedAt, event.at)
        if interaction.queue == nil { interaction.queue = event.queue }
        interaction.updatedAt = now
        var changedAgent = false
        switch event.kind {
        case .ringing:
            // A ring at one agent's phone pops there before it is answered, unless someone holds it already.
            if let agent = event.agent, interaction.agentID == nil {
                assign(agent, team: event.agentTeam, at: event.at, by: .ringing, to: &interaction)
                changedAgent = true
            }
        case .answered, .transferred:
            interaction.state = max(interaction.state, .active)
            if event.kind == .answered { interaction.answeredAt = min(interaction.answeredAt ?? event.at, event.at) }
            if let agent = event.agent, supersedes(event, agent: agent, interaction) {
                changedAgent = interaction.agentID != agent || interaction.assignedBy == .ringing
                assign(agent, team: event.agentTeam, at: event.at, by: event.kind, to: &interaction)
            }
        case .ended:
            interaction.state = max(interaction.state, .wrapUp)
            interaction.endedAt = max(interaction.endedAt ?? event.at, event.at)
        }
        return changedAgent
    }

    /// Whether an answer or transfer takes the call from whoever holds it: one order over
    /// all of them, by the PBX's time, then transfers over answers, then the agent's id,
    /// so that the same events give the same holder in any order. An answer never takes
    /// back a call a transfer moved on (a late retry of the first answer).
    static func supersedes(_ event: CallEvent, agent: UserID, _ interaction: Interaction) -> Bool {
        guard let held = interaction.agentID, let since = interaction.assignedAt, let by = interaction.assignedBy, by != .ringing else { return true }
        if by == .transferred, event.kind == .answered { return false }
        func rank(_ kind: CallEvent.Kind) -> Int { kind == .transferred ? 1 : 0 }
        return (event.at, rank(event.kind), agent.description) > (since, rank(by), held.description)
    }

    private static func assign(_ agent: UserID, team: TeamID?, at: Date, by kind: CallEvent.Kind, to interaction: inout Interaction) {
        interaction.agentID = agent
        interaction.teamID = team
        interaction.assignedAt = at
        interaction.assignedBy = kind
    }
}
