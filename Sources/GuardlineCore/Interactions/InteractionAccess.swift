/// Whose interactions a person reads in full. Everyone who may see a contact sees its
/// timeline's entries (channel, time, queue, disposition); what was said opens for the
/// agent who held it, the supervisors of the team that held it, profiles holding
/// `readInteractions`, and the DPO's `allInteractions`.
public enum InteractionAccess {
    public struct Viewer: Sendable {
        public let user: UserID
        public let role: Role
        public let team: TeamID?
        public let capabilities: Set<Capability>

        public init(user: UserID, role: Role, team: TeamID?, capabilities: Set<Capability>) {
            self.user = user
            self.role = role
            self.team = team
            self.capabilities = capabilities
        }
    }

    public static func opensContent(_ interaction: Interaction, for viewer: Viewer) -> Bool {
        if viewer.capabilities.contains(.allInteractions) || viewer.capabilities.contains(.readInteractions) { return true }
        if interaction.agentID == viewer.user { return true }
        return viewer.role == .supervisor && viewer.team != nil && interaction.teamID == viewer.team
    }

    /// Which interactions a listing shows: every one (the DPO), the team's (a supervisor), or one's own.
    public enum Scope: Sendable, Equatable {
        case all
        case team(TeamID)
        case own(UserID)
    }

    public static func scope(for viewer: Viewer) -> Scope {
        if viewer.capabilities.contains(.allInteractions) { return .all }
        if viewer.role == .supervisor, let team = viewer.team { return .team(team) }
        return .own(viewer.user)
    }
}
