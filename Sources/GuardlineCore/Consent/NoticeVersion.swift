import Crypto
import Foundation

/// A version of a text shown to people before they decide: the organization's
/// privacy notice, or the script an agent reads for one purpose. Versions are
/// immutable; an edit is a new version. A consent record keeps the version and
/// the hash of its text, so what the person heard can be shown later, exactly.
public struct NoticeVersion: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case notice
        case script
    }

    public var id: UUID
    public var orgID: OrganizationID
    public var kind: Kind
    /// The purpose a script is for; nil for the privacy notice.
    public var purpose: String?
    public var version: Int
    public var text: String
    /// The staff user who wrote it; nil when Guardline drafted it from the catalog.
    public var createdBy: UserID?
    public var createdAt: Date

    public init(id: UUID, orgID: OrganizationID, kind: Kind, purpose: String?, version: Int, text: String, createdBy: UserID?, createdAt: Date) {
        self.id = id
        self.orgID = orgID
        self.kind = kind
        self.purpose = purpose
        self.version = version
        self.text = text
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// `sha256:` and the hex SHA-256 of the text's UTF-8 bytes.
    public var hash: String { Self.hash(of: text) }

    public static func hash(of text: String) -> String {
        "sha256:" + SHA256.hash(data: Data(text.utf8)).hex
    }

    /// The longest text a version holds.
    public static let maxLength = 20_000

    public static func checkText(_ text: String) throws -> String {
        try TextRules.required(text, "text", max: maxLength)
    }
}
