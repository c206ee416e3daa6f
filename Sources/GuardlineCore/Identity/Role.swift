/// The staff roles. A role says what a person administers; what personal data
/// they see is decided by their access profile, never by the role alone.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case dpo
    case supervisor
    case agent

    public var label: String {
        switch self {
        case .admin: "Administrator"
        case .dpo: "Data protection officer"
        case .supervisor: "Supervisor"
        case .agent: "Agent"
        }
    }
}
