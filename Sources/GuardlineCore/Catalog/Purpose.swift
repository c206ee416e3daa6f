/// A purpose of processing: why the contact center holds data, in words a
/// customer understands, with the lawful basis and how long data may be kept.
public struct Purpose: Sendable, Equatable {
    public var key: String
    public var name: String
    public var description: String
    public var lawfulBasis: LawfulBasis
    public var retentionDays: Int
    /// The channels it reaches people on; consent is asked and held per channel.
    public var channels: [ContactChannel]
    /// The journey stages at which it may be asked about (empty: any stage).
    public var stages: [String]
    /// An inactive purpose is no longer pursued: nothing is asked or sent for it,
    /// and fields only it needed are flagged for minimization.
    public var active: Bool

    public init(
        key: String, name: String, description: String, lawfulBasis: LawfulBasis, retentionDays: Int,
        channels: [ContactChannel] = ContactChannel.allCases, stages: [String] = [], active: Bool = true
    ) {
        self.key = key
        self.name = name
        self.description = description
        self.lawfulBasis = lawfulBasis
        self.retentionDays = retentionDays
        self.channels = channels
        self.stages = stages
        self.active = active
    }

    /// Whether it may be asked about at this stage.
    public func asked(at stage: String) -> Bool { stages.isEmpty || stages.contains(stage) }
}
