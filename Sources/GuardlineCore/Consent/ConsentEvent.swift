import Foundation

/// What the person answered when asked for a purpose on a channel.
public enum ConsentDecision: String, Sendable, Codable, CaseIterable {
    case granted
    case refused
    case withdrawn
}

/// Where a decision was captured.
public enum ConsentSource: String, Sendable, Codable, CaseIterable {
    /// An agent on a call or chat, reading the purpose's script.
    case agent
    /// The person themselves, in the privacy portal.
    case portal
    /// A file of contacts with consent columns (`guardline import contacts`).
    case `import`
    /// An integration token.
    case api
}

/// One decision in a contact's consent history (append-only: a later event
/// supersedes, never edits, an earlier one). It keeps the evidence a DPO is
/// asked for: who captured it and how, when, the exact text the person was shown
/// or read (the notice version and the hash of its text) and the interaction.
public struct ConsentEvent: Sendable, Equatable {
    public var id: UUID
    public var orgID: OrganizationID
    public var contactID: ContactID
    public var purpose: String
    public var channel: ContactChannel
    public var decision: ConsentDecision
    public var source: ConsentSource
    /// The staff user or token that recorded it (nil for the portal and imports run by the system).
    public var capturedBy: String?
    /// The notice or script version shown, and the SHA-256 of its text.
    public var noticeVersionID: UUID?
    public var noticeHash: String?
    /// The call or chat it happened in: the interaction, or until interactions exist the PBX's call id.
    public var interactionID: String?
    /// For imports: the SHA-256 of the imported file.
    public var evidence: String?
    public var at: Date

    public init(
        id: UUID, orgID: OrganizationID, contactID: ContactID, purpose: String, channel: ContactChannel, decision: ConsentDecision,
        source: ConsentSource, capturedBy: String?, noticeVersionID: UUID?, noticeHash: String?, interactionID: String?,
        evidence: String? = nil, at: Date
    ) {
        self.id = id
        self.orgID = orgID
        self.contactID = contactID
        self.purpose = purpose
        self.channel = channel
        self.decision = decision
        self.source = source
        self.capturedBy = capturedBy
        self.noticeVersionID = noticeVersionID
        self.noticeHash = noticeHash
        self.interactionID = interactionID
        self.evidence = evidence
        self.at = at
    }
}
