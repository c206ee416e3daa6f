import Foundation

/// What a person receives for an access or portability request (Art. 15, 20): their data
/// as held, why and on what basis, for how long, where it came from, their consents,
/// every interaction as stored, and who at the contact center opened their record. It is
/// the package's `data.json` as is, and the plain-language page is written from it.
public struct SubjectExport: Sendable, Codable, Equatable {
    public struct Field: Sendable, Codable, Equatable {
        public var key: String
        public var label: String
        /// The catalog's category (`user.contact.phone`).
        public var category: String
        public var specialCategory: Bool
        public var value: String

        public init(key: String, label: String, category: String, specialCategory: Bool, value: String) {
            self.key = key
            self.label = label
            self.category = category
            self.specialCategory = specialCategory
            self.value = value
        }
    }

    public struct PurposeUse: Sendable, Codable, Equatable {
        public var key: String
        public var name: String
        public var description: String
        public var lawfulBasis: String
        public var retentionDays: Int

        public init(key: String, name: String, description: String, lawfulBasis: String, retentionDays: Int) {
            self.key = key
            self.name = name
            self.description = description
            self.lawfulBasis = lawfulBasis
            self.retentionDays = retentionDays
        }
    }

    public struct Consent: Sendable, Codable, Equatable {
        public var purpose: String
        public var channel: String
        public var decision: String
        /// How it was given or withdrawn: on a call, on the portal, in an import...
        public var source: String
        /// The SHA-256 of the notice shown, when one was.
        public var notice: String?
        public var at: Date

        public init(purpose: String, channel: String, decision: String, source: String, notice: String? = nil, at: Date) {
            self.purpose = purpose
            self.channel = channel
            self.decision = decision
            self.source = source
            self.notice = notice
            self.at = at
        }
    }

    public struct Conversation: Sendable, Codable, Equatable {
        public var id: String
        public var channel: String
        public var direction: String
        public var startedAt: Date
        public var endedAt: Date?
        public var queue: String?
        public var disposition: String?
        /// As stored: already through the redactor.
        public var content: InteractionContent?
        public var recording: RecordingNote?

        public init(id: String, channel: String, direction: String, startedAt: Date, endedAt: Date? = nil, queue: String? = nil, disposition: String? = nil, content: InteractionContent? = nil, recording: RecordingNote? = nil) {
            self.id = id
            self.channel = channel
            self.direction = direction
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.queue = queue
            self.disposition = disposition
            self.content = content
            self.recording = recording
        }
    }

    public struct RecordingNote: Sendable, Codable, Equatable {
        public var format: String
        public var bytes: Int64
        public var purpose: String
        public var lawfulBasis: String
        public var recordedAt: Date
        /// The audio itself, in the package at this path (`recordings/...`).
        public var file: String?

        public init(format: String, bytes: Int64, purpose: String, lawfulBasis: String, recordedAt: Date, file: String? = nil) {
            self.file = file
            self.format = format
            self.bytes = bytes
            self.purpose = purpose
            self.lawfulBasis = lawfulBasis
            self.recordedAt = recordedAt
        }
    }

    /// One opening of the record: when, by which kind of person (their role and team, not
    /// their name), what they did and which fields they saw.
    public struct Access: Sendable, Codable, Equatable {
        public var at: Date
        public var by: String
        public var action: String
        public var fields: [String]

        public init(at: Date, by: String, action: String, fields: [String]) {
            self.at = at
            self.by = by
            self.action = action
            self.fields = fields
        }
    }

    /// A campaign list the person is on: why it called and how it went.
    public struct CampaignEntry: Sendable, Codable, Equatable {
        public var campaign: String
        public var purpose: String
        public var channel: String
        public var state: String
        public var attempts: Int
        public var outcome: String?
        public var listedAt: Date?

        public init(campaign: String, purpose: String, channel: String, state: String, attempts: Int, outcome: String?, listedAt: Date?) {
            self.campaign = campaign
            self.purpose = purpose
            self.channel = channel
            self.state = state
            self.attempts = attempts
            self.outcome = outcome
            self.listedAt = listedAt
        }
    }

    /// Data kept from an erasure, and why (Art. 17(3)).
    public struct Hold: Sendable, Codable, Equatable {
        public var ground: String
        public var fields: [String]
        public var until: Date?

        public init(ground: String, fields: [String], until: Date?) {
            self.ground = ground
            self.fields = fields
            self.until = until
        }
    }

    public struct Request: Sendable, Codable, Equatable {
        public var id: String
        public var kind: String
        public var state: String
        public var receivedAt: Date
        public var dueAt: Date
        public var closedAt: Date?

        public init(id: String, kind: String, state: String, receivedAt: Date, dueAt: Date, closedAt: Date? = nil) {
            self.id = id
            self.kind = kind
            self.state = state
            self.receivedAt = receivedAt
            self.dueAt = dueAt
            self.closedAt = closedAt
        }
    }

    public var format = "guardline.subject-export/1"
    public var generatedAt: Date
    public var organization: String
    public var subject: String
    /// The contact's reference, as the person may quote it.
    public var reference: String?
    public var fields: [Field]
    public var purposes: [PurposeUse]
    /// Where the data came from (Art. 14(2)(f)).
    public var sources: [String]
    public var restrictedSince: Date?
    public var restrictionGround: String?
    public var objections: [String]
    public var consents: [Consent]
    public var interactions: [Conversation]
    public var requests: [Request]
    public var accessLog: [Access]
    /// The stage of the relationship (`customer`) and since when the record exists.
    public var stage: String?
    public var recordSince: Date?
    public var campaigns: [CampaignEntry] = []
    public var holds: [Hold] = []
    /// Recipients, transfers, automated decisions and the authority (Art. 15(1)(c), (f), (h), 15(2)).
    public var facts: PrivacyFacts = .unstated
    /// The rights the person has, each with where it is exercised (Art. 15(1)(e)).
    public var rights: [String] = SubjectExport.rightsText

    public static let rightsText = [
        "To a copy of your data (Art. 15) and to take it elsewhere in a machine-readable form (Art. 20): this package.",
        "To have wrong or incomplete data corrected (Art. 16).",
        "To have your data erased (Art. 17), unless the law or a legal claim obliges us to keep some of it.",
        "To have its use restricted while a question about it is settled (Art. 18).",
        "To object to its use for our legitimate interests, and at any time to direct marketing (Art. 21).",
        "To withdraw a consent at any time, as easily as you gave it (Art. 7(3)).",
        "Ask on our privacy portal, on a call with us, or in writing. We answer within one month.",
    ]

    public init(
        generatedAt: Date, organization: String, subject: String, reference: String?, fields: [Field], purposes: [PurposeUse], sources: [String],
        restrictedSince: Date?, restrictionGround: String?, objections: [String], consents: [Consent], interactions: [Conversation],
        requests: [Request], accessLog: [Access]
    ) {
        self.generatedAt = generatedAt
        self.organization = organization
        self.subject = subject
        self.reference = reference
        self.fields = fields
        self.purposes = purposes
        self.sources = sources
        self.restrictedSince = restrictedSince
        self.restrictionGround = restrictionGround
        self.objections = objections
        self.consents = consents
        self.interactions = interactions
        self.requests = requests
        self.accessLog = accessLog
    }
}


/// Audit actions as a person reads them in their access log.
public enum AccessWording {
    public static func describe(_ action: String) -> String {
        switch action {
        case "contact.lookup": "found your record by a phone number, email or name"
        case "contact.read", "contact.list": "opened your record"
        case "contact.reveal": "revealed a masked detail, for a stated reason"
        case "contact.create": "created your record"
        case "contact.import", "contact.import.match": "added your record from an imported file"
        case "contact.update": "changed your details"
        case "contact.stage": "moved your record to another stage of our relationship with you"
        case "contact.restrict": "restricted the use of your data"
        case "contact.unrestrict": "lifted the restriction on your data"
        case "contact.object": "recorded your objection"
        case "contact.timeline", "interaction.read": "read your conversations with us"
        case "interaction.create": "recorded a conversation with you"
        case "interaction.link": "linked a call to your record"
        case "recording.store": "kept a recording of a call with you"
        case "recording.play": "listened to a call recording"
        case "audit.note_read": "read a reason stated for opening your record"
        case let a where a.hasPrefix("suppression."): "changed whether we may contact you for marketing"
        case let a where a.hasPrefix("consent."): "recorded a consent decision of yours"
        case let a where a.hasPrefix("request."): "handled one of your requests"
        case let a where a.hasPrefix("cti."): "received your call"
        case let a where a.hasPrefix("campaign."): "called you in a campaign"
        default: action
        }
    }
}
