import Foundation

/// A named set of field rules and capabilities, assigned to teams and
/// optionally to single users (overriding their team's).
public struct AccessProfile: Sendable, Equatable {
    public var id: AccessProfileID
    public var orgID: OrganizationID
    public var name: String
    public var fields: [FieldKey: FieldRule]
    public var capabilities: Set<Capability>
    /// Need-to-know: what opens a contact beyond the minimal lookup view (`NeedToKnow`).
    public var contextRule: ContextRule
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: AccessProfileID, orgID: OrganizationID, name: String, fields: [FieldKey: FieldRule],
        capabilities: Set<Capability>, contextRule: ContextRule = .none, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.fields = fields
        self.capabilities = capabilities
        self.contextRule = contextRule
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The profile a user with none assigned gets: sees nothing, may do nothing.
    public static func denyAll(orgID: OrganizationID) -> AccessProfile {
        AccessProfile(
            id: AccessProfileID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))), orgID: orgID,
            name: "No access", fields: [:], capabilities: [], createdAt: .distantPast, updatedAt: .distantPast)
    }
}
