/// Data minimization (Art. 5(1)(c)): a field that no active purpose needs should
/// not be collected. Warnings name the field and why, for the admin to act on.
public enum DataMinimization {
    public struct Warning: Sendable, Equatable {
        public let field: FieldKey
        public let message: String
    }

    public static func warnings(catalog: FieldCatalog, purposes: [Purpose]) -> [Warning] {
        let byKey = Dictionary(purposes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return catalog.fields.compactMap { field in
            if field.purposes.isEmpty {
                return Warning(field: field.key, message: "'\(field.label)' names no purpose: nothing justifies collecting it.")
            }
            let unknown = field.purposes.filter { byKey[$0] == nil }
            guard !field.purposes.contains(where: { byKey[$0]?.active == true }) else { return nil }
            let inactive = field.purposes.filter { byKey[$0]?.active == false }
            var why = "no active purpose needs '\(field.label)'"
            if !inactive.isEmpty { why += " (inactive: \(inactive.joined(separator: ", ")))" }
            if !unknown.isEmpty { why += " (unknown: \(unknown.joined(separator: ", ")))" }
            return Warning(field: field.key, message: why.prefix(1).uppercased() + why.dropFirst() + ": stop collecting it, or erase what is held.")
        }
    }
}
