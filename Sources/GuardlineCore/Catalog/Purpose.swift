/// A purpose of processing: why the contact center holds data, in words a
/// customer understands, with the lawful basis and how long data may be kept.
public struct Purpose: Sendable, Equatable {
    public var key: String
    public var name: String
    public var description: String
    public var lawfulBasis: LawfulBasis
    public var retentionDays: Int

    public init(key: String, name: String, description: String, lawfulBasis: LawfulBasis, retentionDays: Int) {
        self.key = key
        self.name = name
        self.description = description
        self.lawfulBasis = lawfulBasis
        self.retentionDays = retentionDays
    }
}
