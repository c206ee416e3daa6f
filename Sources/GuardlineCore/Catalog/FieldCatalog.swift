/// The organization's data catalog as a lookup table: which fields exist.
public struct FieldCatalog: Sendable, Equatable {
    public let fields: [DataField]
    private let index: [FieldKey: Int]

    public init(_ fields: [DataField]) {
        self.fields = fields
        var index: [FieldKey: Int] = [:]
        for (offset, field) in fields.enumerated() { index[field.key] = offset }
        self.index = index
    }

    public func contains(_ key: FieldKey) -> Bool { index[key] != nil }
    public subscript(key: FieldKey) -> DataField? { index[key].map { fields[$0] } }
    public var keys: [FieldKey] { fields.map(\.key) }

    public static let standard = FieldCatalog(StandardCatalog.fields)
}
