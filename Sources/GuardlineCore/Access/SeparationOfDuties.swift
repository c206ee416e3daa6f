/// Nobody widens their own power (ASVS V8.2): the rules an administrative
/// change passes before it is stored, for the API and the console alike.
/// Each refusal is a code the audit records and a message the caller reads.
public enum SeparationOfDuties {
    public enum Refusal: String, Sendable, Equatable {
        /// Changing one's own role, team or profile override.
        case ownAssignment = "own_assignment"
        /// Editing the access profile one holds (directly or through one's team).
        case heldProfile = "held_profile"
        /// Creating, promoting or changing an administrator without being one.
        case adminByNonAdmin = "admin_by_non_admin"

        public var message: String {
            switch self {
            case .ownAssignment:
                "You cannot change your own role, team or access profile; another administrator must do it."
            case .heldProfile:
                "You cannot change the access profile you hold yourself (directly or through your team); another administrator must do it."
            case .adminByNonAdmin:
                "Only an administrator can create an administrator, promote someone to one or change an administrator's account."
            }
        }
    }

    /// The person making a change: who they are and which profile they hold now.
    public struct Actor: Sendable {
        public let user: StaffUser
        public let heldProfile: AccessProfileID?

        public init(user: StaffUser, heldProfile: AccessProfileID?) {
            self.user = user
            self.heldProfile = heldProfile
        }
    }

    /// A new account: only an admin makes an admin.
    public static func checkCreate(role: Role, by actor: Actor) -> Refusal? {
        role == .admin && actor.user.role != .admin ? .adminByNonAdmin : nil
    }

    /// A change to `target` (as stored before the change). `assignment` says whether
    /// role, team or profile override change; `newRole` is the role asked for, if any.
    public static func checkUpdate(of target: StaffUser, newRole: Role?, changesAssignment: Bool, by actor: Actor) -> Refusal? {
        if target.id == actor.user.id, changesAssignment { return .ownAssignment }
        if actor.user.role != .admin, target.role == .admin || newRole == .admin { return .adminByNonAdmin }
        return nil
    }

    /// Editing a profile: not the one you hold.
    public static func checkProfileChange(_ profile: AccessProfileID, by actor: Actor) -> Refusal? {
        profile == actor.heldProfile ? .heldProfile : nil
    }

    /// Re-pointing a team at another profile: not the team whose profile you hold.
    public static func checkTeamProfileChange(_ team: TeamID, by actor: Actor) -> Refusal? {
        actor.user.profileID == nil && actor.user.teamID == team ? .heldProfile : nil
    }
}
