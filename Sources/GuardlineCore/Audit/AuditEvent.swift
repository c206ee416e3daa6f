import Foundation

/// Who did something: a signed-in person, an integration token, or Guardline itself.
public enum AuditActorKind: String, Sendable, Codable {
    case user
    case token
    case system
    /// The person the data is about, recognised by the privacy portal's one-time code.
    case subject
}

/// What is to be recorded, before it is placed in the chain.
/// Entries name fields, never values.
public struct AuditRecord: Sendable, Equatable {
    public var orgID: OrganizationID
    public var at: Date
    public var actorKind: AuditActorKind
    public var actorID: String?
    /// Dotted action: `contact.lookup`, `contact.read`, `contact.reveal`, `auth.login`, `profile.update`...
    public var action: String
    public var contactID: ContactID?
    public var fields: [String]
    /// Why or where: a stated reason, a channel, a lookup kind. Never personal data.
    public var context: String?

    public init(
        orgID: OrganizationID, at: Date, actorKind: AuditActorKind, actorID: String?, action: String,
        contactID: ContactID? = nil, fields: [String] = [], context: String? = nil
    ) {
        self.orgID = orgID
        self.at = at
        self.actorKind = actorKind
        self.actorID = actorID
        self.action = action
        self.contactID = contactID
        self.fields = fields
        self.context = context
    }
}

/// An entry as it sits in the chain: the record, its position and its hashes.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int64
    public var record: AuditRecord
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(seq: Int64, record: AuditRecord, previousHash: [UInt8], hash: [UInt8]) {
        self.seq = seq
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Who an audit entry names. `AuditRecord(by:...)` is the one place that turns
/// it into the entry's actor fields, for every caller.
public enum AuditActor: Sendable, Equatable {
    /// A person, signed in to the console or with their login token.
    case user(UserID)
    /// An integration token acting for its user: the entry names the token, and the user in its context.
    case token(APITokenID, for: UserID)
    /// Guardline itself (the command line, migrations).
    case system
    /// The person themselves, signed in to the privacy portal with a one-time code.
    case subject(ContactID)
}

extension AuditRecord {
    public init(
        by actor: AuditActor, org: OrganizationID, at: Date, action: String, contactID: ContactID? = nil,
        fields: [String] = [], context: String? = nil
    ) {
        switch actor {
        case .user(let user):
            self.init(orgID: org, at: at, actorKind: .user, actorID: user.description, action: action, contactID: contactID,
                      fields: fields, context: context)
        case .token(let token, let user):
            self.init(orgID: org, at: at, actorKind: .token, actorID: token.description, action: action, contactID: contactID,
                      fields: fields, context: ["for user \(user)", context].compactMap { $0 }.joined(separator: "; "))
        case .system:
            self.init(orgID: org, at: at, actorKind: .system, actorID: nil, action: action, contactID: contactID,
                      fields: fields, context: context)
        case .subject(let person):
            self.init(orgID: org, at: at, actorKind: .subject, actorID: person.description, action: action, contactID: contactID,
                      fields: fields, context: context)
        }
    }
}
