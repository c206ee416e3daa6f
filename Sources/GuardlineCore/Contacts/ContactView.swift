import Foundation

/// A contact as one person may see it: hidden fields absent, masked fields
/// already masked. Built only by `ContactProjection`.
public struct ContactView: Sendable, Equatable {
    public var id: ContactID
    /// The readable reference (`C-004211`); nil only before the store has numbered it.
    public var reference: ContactReference?
    public var fields: [FieldKey: String]
    public var masked: [FieldKey]
    public var editable: [FieldKey]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ContactID, reference: ContactReference? = nil, fields: [FieldKey: String], masked: [FieldKey], editable: [FieldKey],
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.reference = reference
        self.fields = fields
        self.masked = masked
        self.editable = editable
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The field names to record in the audit entry: clear ones as `phone`,
    /// masked ones as `phone:masked`. Names only, never values.
    public var auditedFields: [String] {
        // A view holds a handful of fields: scanning `masked` beats hashing it into a set.
        fields.keys.sorted().map { masked.contains($0) ? $0.rawValue + ":masked" : $0.rawValue }
    }
}

/// Applies the access policy to a stored contact in two steps, so that only
/// the fields a person may see (in clear or partly) are ever decrypted.
public struct ContactProjection: Sendable {
    public let decisions: [(field: FieldKey, decision: AccessPolicy.Decision)]

    /// Decides every stored field; hidden ones drop out here, before decryption.
    /// An array, not any sequence: a generic called from another module runs
    /// unspecialized, and its sort cost more than the decisions.
    public init(profile: AccessProfile, catalog: FieldCatalog, storedFields: [FieldKey]) {
        decisions = storedFields.sorted().compactMap { field in
            let decision = AccessPolicy.decide(profile, field: field, catalog: catalog)
            return decision == .hidden ? nil : (field, decision)
        }
    }

    /// The fields to decrypt: a redacted field is shown without its value ever being opened.
    public var fieldsToOpen: [FieldKey] { decisions.filter { $0.decision.needsValue }.map(\.field) }

    /// Whether any field is to be decrypted (so whether the contact's key is needed).
    public var opensAnyField: Bool { decisions.contains { $0.decision.needsValue } }

    /// Builds the view from the decrypted values of `fieldsToOpen`.
    public func view(id: ContactID, values: [FieldKey: String], createdAt: Date, updatedAt: Date) -> ContactView {
        view(id: id, createdAt: createdAt, updatedAt: updatedAt) { values[$0] }
    }

    /// Builds the view, asking `value` for each field of `fieldsToOpen` as it goes (nil
    /// leaves the field out): the screen pop decrypts straight into the view.
    public func view(
        id: ContactID, createdAt: Date, updatedAt: Date, value: (FieldKey) throws -> String?
    ) rethrows -> ContactView {
        var fields = [FieldKey: String](minimumCapacity: decisions.count)
        var masked: [FieldKey] = []
        var editable: [FieldKey] = []
        for (field, decision) in decisions {
            if decision == .masked(.redacted) {
                fields[field] = Masking.mask("", as: .redacted, field: field)
                masked.append(field)
                continue
            }
            guard let value = try value(field) else { continue }
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
