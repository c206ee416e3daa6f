import Foundation

public enum InteractionTag {}
/// An interaction's id; a v7 id, so a contact's timeline sorts by it.
public typealias InteractionID = Identifier<InteractionTag>

/// How the contact center and the person talked.
public enum InteractionChannel: String, Sendable, Codable, CaseIterable {
    case voice
    case email
    case chat
    case sms
}

public enum InteractionDirection: String, Sendable, Codable, CaseIterable {
    case inbound
    case outbound
}

/// Where an interaction is in its life. A call rings, is answered (active) and ends;
/// after it ends its agent keeps it open for wrap-up (notes, disposition) until they
/// close it or the wrap-up time runs out. A logged email, chat or SMS starts active.
public enum InteractionState: String, Sendable, Codable, CaseIterable, Comparable {
    case ringing
    case active
    case wrapUp
    case closed

    var rank: Int {
        switch self {
        case .ringing: 0
        case .active: 1
        case .wrapUp: 2
        case .closed: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One communication with a contact (or with a caller not yet known): its facts in
/// clear, what was said sealed apart (`InteractionContent`, under the contact's key).
public struct Interaction: Sendable, Equatable {
    public var id: InteractionID
    public var orgID: OrganizationID
    /// nil for a caller no contact matched (a "new contact" pop) until someone links one.
    public var contactID: ContactID?
    public var channel: InteractionChannel
    public var direction: InteractionDirection
    public var state: InteractionState
    public var source: InteractionSource
    /// The agent holding it (the one who answered, or the last one it was transferred to).
    public var agentID: UserID?
    /// The agent's team when they took it: supervisors see their team's interactions.
    public var teamID: TeamID?
    /// When the agent was given it (by the PBX's clock): a later answer or transfer wins.
    public var assignedAt: Date?
    /// What gave it to them: an answer never takes back a call a transfer moved on.
    public var assignedBy: CallEvent.Kind?
    public var queue: String?
    /// The PBX's id of the call (CTI) as a keyed hash, unique in the organization.
    public var callKey: String?
    /// The caller's number as its blind-index hash: an unknown caller is linked later only
    /// to a contact holding that number, never to whoever an agent picks.
    public var callerHash: [UInt8]?
    public var startedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date?
    public var closedAt: Date?
    /// A short code of how it ended (`resolved`, `callback`...): no free text.
    public var disposition: String?
    /// Whether content (subject, body, notes, transcript) is sealed for it.
    public var hasContent: Bool
    public var updatedAt: Date

    public init(
        id: InteractionID, orgID: OrganizationID, contactID: ContactID?, channel: InteractionChannel, direction: InteractionDirection,
        state: InteractionState, source: InteractionSource, agentID: UserID? = nil, teamID: TeamID? = nil, assignedAt: Date? = nil, assignedBy: CallEvent.Kind? = nil, queue: String? = nil, callKey: String? = nil, callerHash: [UInt8]? = nil,
        startedAt: Date, answeredAt: Date? = nil, endedAt: Date? = nil, closedAt: Date? = nil, disposition: String? = nil,
        hasContent: Bool = false, updatedAt: Date
    ) {
        self.id = id
        self.orgID = orgID
        self.contactID = contactID
        self.channel = channel
        self.direction = direction
        self.state = state
        self.source = source
        self.agentID = agentID
        self.teamID = teamID
        self.assignedAt = assignedAt
        self.assignedBy = assignedBy
        self.queue = queue
        self.callKey = callKey
        self.callerHash = callerHash
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.closedAt = closedAt
        self.disposition = disposition
        self.hasContent = hasContent
        self.updatedAt = updatedAt
    }

    /// A ring nobody answered within this long is over, whether or not the PBX said so.
    public static let ringLimit: TimeInterval = 600
    /// A call or chat still open this long after it started is taken as over (its end was lost):
    /// need-to-know never stays open on a forgotten interaction.
    public static let liveLimit: TimeInterval = 4 * 3600

    /// The state at `now`: wrap-up lapses on its own once `wrapUp` has passed since the end,
    /// a ring after `ringLimit`, a live interaction after `liveLimit` (and its wrap-up).
    public func state(at now: Date, wrapUp: TimeInterval) -> InteractionState {
        switch state {
        case .wrapUp:
            if let endedAt, now.timeIntervalSince(endedAt) > wrapUp { return .closed }
        case .ringing:
            if now.timeIntervalSince(startedAt) > Self.ringLimit { return .closed }
        case .active:
            if now.timeIntervalSince(answeredAt ?? startedAt) > Self.liveLimit + wrapUp { return .closed }
        case .closed:
            break
        }
        return state
    }
}

/// Who opened an interaction. Only one Guardline or an integration opened (a call the
/// PBX announced, a chat the chat platform handed over) proves an agent is talking to
/// the contact; one an agent logged themselves is their own word, worth a stated reason.
public enum InteractionSource: String, Sendable, Codable, CaseIterable {
    case cti
    case integration
    case agent
}

/// What was said, as stored: each part already through the redactor.
public struct InteractionContent: Sendable, Equatable, Codable {
    public var subject: String?
    public var body: String?
    public var notes: String?
    public var transcript: [TranscriptTurn]?

    public init(subject: String? = nil, body: String? = nil, notes: String? = nil, transcript: [TranscriptTurn]? = nil) {
        self.subject = subject
        self.body = body
        self.notes = notes
        self.transcript = transcript
    }

    public var isEmpty: Bool { subject == nil && body == nil && notes == nil && (transcript ?? []).isEmpty }
}

/// One speaker's turn in a call or chat transcript.
public struct TranscriptTurn: Sendable, Equatable, Codable {
    /// `agent`, `customer` or `system`: who spoke, never a name.
    public var speaker: Speaker
    public var text: String

    public enum Speaker: String, Sendable, Codable, CaseIterable {
        case agent
        case customer
        case system
    }

    public init(speaker: Speaker, text: String) {
        self.speaker = speaker
        self.text = text
    }
}
