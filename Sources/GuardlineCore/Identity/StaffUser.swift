import Foundation

/// A member of staff who signs in to the console or the API.
public struct StaffUser: Sendable, Equatable {
    public var id: UserID
    public var orgID: OrganizationID
    public var email: String
    public var name: String
    public var role: Role
    public var teamID: TeamID?
    /// A per-user override of the team's access profile.
    public var profileID: AccessProfileID?
    public var disabled: Bool
    public var createdAt: Date

    public init(
        id: UserID, orgID: OrganizationID, email: String, name: String, role: Role,
        teamID: TeamID?, profileID: AccessProfileID?, disabled: Bool, createdAt: Date
    ) {
        self.id = id
        self.orgID = orgID
        self.email = email
        self.name = name
        self.role = role
        self.teamID = teamID
        self.profileID = profileID
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

/// A team of agents sharing one access profile.
public struct Team: Sendable, Equatable {
    public var id: TeamID
    public var orgID: OrganizationID
    public var name: String
    public var profileID: AccessProfileID
    public var createdAt: Date

    public init(id: TeamID, orgID: OrganizationID, name: String, profileID: AccessProfileID, createdAt: Date) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.profileID = profileID
        self.createdAt = createdAt
    }
}
