import Foundation

public enum CampaignTag {}
public typealias CampaignID = Identifier<CampaignTag>

/// An outbound campaign: whom to reach (target stages), why (one purpose, whose
/// lawful basis every listed contact must have on this channel), when (calling
/// hours in the contact's time zone) and how often (attempts per contact).
public struct Campaign: Sendable, Equatable {
    public let id: CampaignID
    public let orgID: OrganizationID
    public var name: String
    public var purpose: String
    /// The purpose's lawful basis when the campaign was created: a later change of basis
    /// stops the campaign rather than silently changing who may be listed.
    public var lawfulBasis: LawfulBasis
    public var channel: ContactChannel
    /// Journey stages targeted; empty targets every stage.
    public var stages: [String]
    public var hours: CallingHours
    /// Where a contact's own time zone cannot be told from their number.
    public var timeZone: String
    public var maxAttempts: Int
    public var createdBy: String?
    public var createdAt: Date
    /// The latest list build, if the list was built.
    public var lastBuild: ListBuild?

    public init(
        id: CampaignID, orgID: OrganizationID, name: String, purpose: String, lawfulBasis: LawfulBasis, channel: ContactChannel, stages: [String],
        hours: CallingHours, timeZone: String, maxAttempts: Int, createdBy: String?, createdAt: Date, lastBuild: ListBuild? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.purpose = purpose
        self.lawfulBasis = lawfulBasis
        self.channel = channel
        self.stages = stages
        self.hours = hours
        self.timeZone = timeZone
        self.maxAttempts = maxAttempts
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastBuild = lastBuild
    }
}
