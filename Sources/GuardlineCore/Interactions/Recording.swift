import Foundation

/// A call recording: where its sealed bytes are, what they are, and the purpose and
/// lawful basis it is kept under (the purpose "call_recording" of the catalog).
public struct Recording: Sendable, Equatable {
    public var id: UUID
    public var orgID: OrganizationID
    public var contactID: ContactID
    public var interactionID: InteractionID
    public var contentType: RecordingFormat
    /// The recording's own size, before sealing.
    public var bytes: Int64
    public var purpose: String
    public var lawfulBasis: LawfulBasis
    public var createdAt: Date

    public init(
        id: UUID, orgID: OrganizationID, contactID: ContactID, interactionID: InteractionID, contentType: RecordingFormat, bytes: Int64,
        purpose: String, lawfulBasis: LawfulBasis, createdAt: Date
    ) {
        self.id = id
        self.orgID = orgID
        self.contactID = contactID
        self.interactionID = interactionID
        self.contentType = contentType
        self.bytes = bytes
        self.purpose = purpose
        self.lawfulBasis = lawfulBasis
        self.createdAt = createdAt
    }

    /// The purpose a recording is made for; its lawful basis decides whether consent is needed.
    public static let purpose = "call_recording"
}

/// The audio formats Guardline keeps and plays back as they came.
public enum RecordingFormat: String, Sendable, Codable, CaseIterable {
    case wav = "audio/wav"
    case mpeg = "audio/mpeg"
    case ogg = "audio/ogg"

    /// The file extension of the audio, for a package that holds it.
    public var fileExtension: String {
        switch self {
        case .wav: "wav"
        case .mpeg: "mp3"
        case .ogg: "ogg"
        }
    }
}
