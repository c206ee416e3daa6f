import Foundation

public enum SubjectRequestTag {}
/// A data subject request's id; a v7 id, so requests sort by when they came in.
public typealias SubjectRequestID = Identifier<SubjectRequestTag>

/// The rights a person can exercise (Art. 15–21), each a kind of request.
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case access
    case portability
    case rectification
    case erasure
    case restriction
    case objection

    public var article: String {
        switch self {
        case .access: "Art. 15"
        case .portability: "Art. 20"
        case .rectification: "Art. 16"
        case .erasure: "Art. 17"
        case .restriction: "Art. 18"
        case .objection: "Art. 21"
        }
    }

    /// What the person asked, in their words.
    public var label: String {
        switch self {
        case .access: "See my data"
        case .portability: "Take my data elsewhere"
        case .rectification: "Correct my data"
        case .erasure: "Erase my data"
        case .restriction: "Restrict the use of my data"
        case .objection: "Object to a use of my data"
        }
    }

    /// Kinds that change or destroy data wait for a second person's approval once
    /// the subject is verified; the others go straight to work.
    public var needsApproval: Bool { self == .rectification || self == .erasure }
}

/// How a request reached the contact center.
public enum RequestChannel: String, Sendable, Codable, CaseIterable {
    /// An agent took it on a call.
    case phone
    /// The person filed it on the privacy portal.
    case portal
    case email
    case letter
    /// An integration or an upstream controller (OpenDSR) sent it.
    case api
}

/// Where a request is. Completed, rejected and cancelled are final.
public enum RequestState: String, Sendable, Codable, CaseIterable {
    case received
    case verifyingIdentity
    case inProgress
    case awaitingApproval
    case completed
    case rejected
    case cancelled

    public var isOpen: Bool { self != .completed && self != .rejected && self != .cancelled }

    /// Identity is established from these states on.
    public var isVerified: Bool { self == .inProgress || self == .awaitingApproval || self == .completed }

    public var label: String {
        switch self {
        case .received: "Received"
        case .verifyingIdentity: "Checking who you are"
        case .inProgress: "In progress"
        case .awaitingApproval: "Awaiting approval"
        case .completed: "Completed"
        case .rejected: "Rejected"
        case .cancelled: "Cancelled"
        }
    }
}

/// How the person was recognised (Art. 12(6)): recorded with the request, never the answers given.
public enum VerificationMethod: String, Sendable, Codable, CaseIterable {
    /// A one-time code sent to the email address on record.
    case emailCode
    /// A one-time code sent by SMS to the phone number on record.
    case smsCode
    /// On a call: the caller answered questions about details on record.
    case knowledgeQuestions
    /// An identity document was seen (its number is not kept).
    case identityDocument
    /// In person, at a desk.
    case inPerson
    /// The upstream controller that sent the request verified the person (OpenDSR).
    case upstreamController

    public var label: String {
        switch self {
        case .emailCode: "One-time code to the email on record"
        case .smsCode: "One-time code by SMS to the phone on record"
        case .knowledgeQuestions: "Questions about details on record, on a call"
        case .identityDocument: "Identity document seen"
        case .inPerson: "In person"
        case .upstreamController: "Verified by the controller that sent the request"
        }
    }
}

/// Why a request was refused, a code the person is told in plain words (Art. 12(4), 12(5)).
public enum RejectionReason: String, Sendable, Codable, CaseIterable {
    /// Reasonable doubts about identity remain (Art. 12(6)).
    case identityNotVerified
    case manifestlyUnfounded
    /// Repetitive beyond reason (Art. 12(5)).
    case excessive
    /// A legal obligation to keep the data, or legal claims (Art. 17(3)(b), (e)).
    case legalObligation
    /// The objection was weighed and compelling legitimate grounds override it (Art. 21(1)).
    case overridingGrounds
    /// The data the person wanted corrected is accurate (Art. 16).
    case dataAccurate

    public var label: String {
        switch self {
        case .identityNotVerified: "We could not confirm who you are (Art. 12(6))"
        case .manifestlyUnfounded: "The request is manifestly unfounded (Art. 12(5))"
        case .excessive: "The request repeats earlier ones beyond reason (Art. 12(5))"
        case .legalObligation: "The law requires us to keep this data (Art. 17(3))"
        case .overridingGrounds: "Compelling legitimate grounds override the objection (Art. 21(1))"
        case .dataAccurate: "The data was checked and is accurate (Art. 16)"
        }
    }
}

/// The only grounds Art. 12(3) allows for taking longer.
public enum ExtensionReason: String, Sendable, Codable, CaseIterable {
    case complexity
    case numberOfRequests

    public var label: String {
        switch self {
        case .complexity: "The request is complex"
        case .numberOfRequests: "We have received many requests"
        }
    }
}

/// A data subject request and where it stands.
public struct SubjectRequest: Sendable, Equatable {
    public let id: SubjectRequestID
    public let orgID: OrganizationID
    public let contactID: ContactID
    public let kind: RequestKind
    public let channel: RequestChannel
    public var state: RequestState
    public let receivedAt: Date
    /// One calendar month after receipt, or later once extended.
    public var dueAt: Date
    public var extended: ExtensionReason?
    public var verification: VerificationMethod?
    public var verifiedAt: Date?
    /// The person who recorded the verification (their user id, whichever credential they
    /// used): approval of what cannot be undone needs someone else.
    public var verifiedBy: String?
    /// An open request of the same kind from the same person that this one repeats.
    public var duplicateOf: SubjectRequestID?
    public var rejection: RejectionReason?
    /// The purpose objected to (objections); nil objects to direct marketing on every purpose that is marketing.
    public var purpose: String?
    public var closedAt: Date?
    public var updatedAt: Date
    /// The language the person wrote in on the portal (`en`, `pt`): they are told of the
    /// request's progress in it. Nil for requests taken by staff (told in English).
    public var language: String?
    /// The id an upstream controller gave the request (OpenDSR `subject_request_id`).
    public var externalID: String?

    public init(
        id: SubjectRequestID, orgID: OrganizationID, contactID: ContactID, kind: RequestKind, channel: RequestChannel, state: RequestState,
        receivedAt: Date, dueAt: Date, extended: ExtensionReason? = nil, verification: VerificationMethod? = nil, verifiedAt: Date? = nil,
        verifiedBy: String? = nil, duplicateOf: SubjectRequestID? = nil, rejection: RejectionReason? = nil, purpose: String? = nil, closedAt: Date? = nil, updatedAt: Date,
        language: String? = nil, externalID: String? = nil
    ) {
        self.language = language
        self.externalID = externalID
        self.id = id
        self.orgID = orgID
        self.contactID = contactID
        self.kind = kind
        self.channel = channel
        self.state = state
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.extended = extended
        self.verification = verification
        self.verifiedAt = verifiedAt
        self.verifiedBy = verifiedBy
        self.duplicateOf = duplicateOf
        self.rejection = rejection
        self.purpose = purpose
        self.closedAt = closedAt
        self.updatedAt = updatedAt
    }

    /// Whether it is past its due date and still open.
    public func isOverdue(at now: Date) -> Bool { state.isOpen && now > dueAt }
}
