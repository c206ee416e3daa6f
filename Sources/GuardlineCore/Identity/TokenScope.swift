/// What an API token may be used for. A login token carries every scope its
/// user's role allows; an integration token carries only the ones it was given.
public enum TokenScope: String, Sendable, Codable, CaseIterable {
    case contactsRead = "contacts.read"
    case contactsWrite = "contacts.write"
    case auditRead = "audit.read"
    case admin
    /// A phone system posting call events (`POST /cti/events`); it reads no contact.
    case cti = "cti.events"
}
