import Foundation

/// A contact as one person may see it: hidden fields absent, masked fields
/// already masked. Built only by `ContactProjection`.
public struct ContactView: Sendable, Equatable {
    public var id: ContactID
    public var fields: [FieldKey: String]
    public var masked: [FieldKey]
    public var editable: [FieldKey]
    public var createdAt: Date
    public var updatedAt: Date

    /// The field names to record in the audit entry: clear ones as `phone`,
    /// masked ones as `phone:masked`. Names only, never values.
    public var auditedFields: [String] {
        let maskedSet = Set(masked)
        return fields.keys.sorted().map { maskedSet.contains($0) ? "\($0):masked" : $0.rawValue }
    }
}

/// Applies the access policy to a stored contact in two steps, so that only
/// the fields a person may see are ever decrypted.
public struct ContactProjection: Sendable {
    public let decisions: [(field: FieldKey, decision: AccessPolicy.Decision)]

    /// Decides every stored field; hidden ones drop out here, before decryption.
    public init(profile: AccessProfile, catalog: FieldCatalog, storedFields: some Sequence<FieldKey>) {
        decisions = storedFields.sorted().compactMap { field in
            let decision = AccessPolicy.decide(profile, field: field, catalog: catalog)
            return decision.needsValue ? (field, decision) : nil
        }
    }

    /// The fields to decrypt.
    public var fieldsToOpen: [FieldKey] { decisions.map(\.field) }

    /// Builds the view from the decrypted values of `fieldsToOpen`.
    public func view(id: ContactID, values: [FieldKey: String], createdAt: Date, updatedAt: Date) -> ContactView {
        var fields: [FieldKey: String] = [:]
        var masked: [FieldKey] = []
        var editable: [FieldKey] = []
        for (field, decision) in decisions {
            guard let value = values[field] else { continue }
            switch decision {
            case .hidden: continue
            case .masked(let format):
                fields[field] = Masking.mask(value, as: format, field: field)
                masked.append(field)
            case .visible:
                fields[field] = value
            case .editable:
                fields[field] = value
                editable.append(field)
            }
        }
        return ContactView(id: id, fields: fields, masked: masked, editable: editable, createdAt: createdAt, updatedAt: updatedAt)
    }
}
