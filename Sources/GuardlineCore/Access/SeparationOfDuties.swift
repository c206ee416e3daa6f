/// Nobody widens their own power (ASVS V8.2): the rules an administrative
/// change passes before it is stored, for the API and the console alike.
/// Each refusal is a code the audit records and a message the caller reads.
public enum SeparationOfDuties {
    public enum Refusal: String, Sendable, Equatable {
        /// Changing one's own role, team or profile override.
        case ownAssignment = "own_assignment"
        /// Editing the access profile one holds (directly or through one's team).
        case heldProfile = "held_profile"
        /// Creating, promoting or changing an administrator or a DPO without being an administrator.
        case adminByNonAdmin = "admin_by_non_admin"
        /// Setting someone else's password without being an administrator (it would be a takeover).
        case passwordByNonAdmin = "password_by_non_admin"
        /// Granting, through a profile, more than one holds oneself.
        case widerThanOwn = "wider_than_own"

        public var message: String {
            switch self {
            case .ownAssignment:
                "You cannot change your own role, team or access profile; another administrator must do it."
            case .heldProfile:
                "You cannot change the access profile you hold yourself (directly or through your team); another administrator must do it."
            case .adminByNonAdmin:
                "Only an administrator can give the administrator or DPO role, or change such an account."
            case .passwordByNonAdmin:
                "Only an administrator can set another person's password."
            case .widerThanOwn:
                "You can only grant field access and capabilities that you hold yourself."
            }
        }
    }

    /// The person making a change: who they are and what they hold now.
    public struct Actor: Sendable {
        public let user: StaffUser
        public let heldProfile: AccessProfileID?
        /// The profile's rules and capabilities, for the "no more than you hold" rule.
        public let profile: AccessProfile?

        public init(user: StaffUser, heldProfile: AccessProfileID?, profile: AccessProfile? = nil) {
            self.user = user
            self.heldProfile = heldProfile
            self.profile = profile
        }
    }

    /// Roles only an administrator gives: the administrator's and the DPO's (who reads the audit).
    static func isPrivileged(_ role: Role) -> Bool { role == .admin || role == .dpo }

    /// A new account: only an admin makes an admin or a DPO.
    public static func checkCreate(role: Role, by actor: Actor) -> Refusal? {
        isPrivileged(role) && actor.user.role != .admin ? .adminByNonAdmin : nil
    }

    /// Setting a password: one's own, or anyone's by an administrator.
    public static func checkPassword(of target: StaffUser, by actor: Actor) -> Refusal? {
        target.id != actor.user.id && actor.user.role != .admin ? .passwordByNonAdmin : nil
    }

    /// Assigning or saving a profile: an administrator configures freely; anyone else
    /// grants no capability and no field access beyond what their own profile holds.
    public static func checkGrant(_ profile: AccessProfile, by actor: Actor) -> Refusal? {
        guard actor.user.role != .admin else { return nil }
        let own = actor.profile
        guard profile.capabilities.isSubset(of: own?.capabilities ?? []) else { return .widerThanOwn }
        for (field, rule) in profile.fields where rule.access > (own?.fields[field]?.access ?? .hidden) {
            return .widerThanOwn
        }
        return nil
    }

    /// A change to `target` (as stored before the change). `assignment` says whether
    /// role, team or profile override change; `newRole` is the role asked for, if any.
    public static func checkUpdate(of target: StaffUser, newRole: Role?, changesAssignment: Bool, by actor: Actor) -> Refusal? {
        if target.id == actor.user.id, changesAssignment { return .ownAssignment }
        if actor.user.role != .admin, isPrivileged(target.role) || newRole.map(isPrivileged) == true { return .adminByNonAdmin }
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
