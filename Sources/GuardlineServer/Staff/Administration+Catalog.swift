import Foundation
import GuardlineCore
import GuardlineStore

/// The data catalog: fields, purposes and journey stages (`manageCatalog`), and
/// the minimization warnings an admin acts on.
extension Administration {
    public func addField(_ field: DataField, by principal: Principal) async throws {
        try principal.require(.manageCatalog, to: "change the data catalog")
        try CatalogRules.check(field, stages: try await services.catalog.stages(org: principal.orgID))
        let known = Set(try await services.catalog.purposes(org: principal.orgID).map(\.key))
        let unknown = field.purposes.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw GuardlineError.invalid("Unknown purposes: \(unknown.prefix(5).joined(separator: ", ")).") }
        try await recording(principal, "catalog.field.create", context: "field \(field.key), category \(field.category)") { step in
            try await services.catalog.addField(field, org: principal.orgID, step: step)
        }
        services.catalogs.invalidate(principal.orgID)
    }

    public func addPurpose(_ purpose: Purpose, by principal: Principal) async throws {
        try principal.require(.manageCatalog, to: "change the data catalog")
        try CatalogRules.check(purpose, stages: try await services.catalog.stages(org: principal.orgID))
        try await recording(principal, "catalog.purpose.create", context: Self.summary(purpose)) { step in
            try await services.catalog.addPurpose(purpose, org: principal.orgID, step: step)
        }
    }

    /// Changes a purpose (its key stays: consent records and fields name it).
    public func replacePurpose(_ purpose: Purpose, by principal: Principal) async throws {
        try principal.require(.manageCatalog, to: "change the data catalog")
        try CatalogRules.check(purpose, stages: try await services.catalog.stages(org: principal.orgID))
        guard try await services.catalog.purposes(org: principal.orgID).contains(where: { $0.key == purpose.key }) else {
            throw GuardlineError.notFound("The purpose")
        }
        try await recording(principal, "catalog.purpose.update", context: Self.summary(purpose)) { step in
            guard try await services.catalog.replacePurpose(purpose, org: principal.orgID, step: step) else { throw GuardlineError.notFound("The purpose") }
        }
    }

    /// Sets the journey stages: renamed, reordered or added. A stage still held by a
    /// contact or named by a purpose or field cannot be removed.
    public func setStages(_ stages: [JourneyStage], by principal: Principal) async throws {
        try principal.require(.manageCatalog, to: "change the data catalog")
        guard (1...20).contains(stages.count) else { throw GuardlineError.invalid("Name 1 to 20 stages.") }
        var seen = Set<String>()
        for stage in stages {
            guard JourneyStage.isWellFormed(stage.key) else {
                throw GuardlineError.invalid("A stage key is lowercase letters, digits and underscores, starting with a letter (at most 40).")
            }
            _ = try TextRules.required(stage.label, "label", max: 100)
            guard seen.insert(stage.key).inserted else { throw GuardlineError.invalid("Stage '\(stage.key)' is named twice.") }
        }
        let org = principal.orgID
        let removed = Set(try await services.catalog.stages(org: org).map(\.key)).subtracting(seen)
        if !removed.isEmpty {
            let held = try await ContactStore(services.data).countAtStages(org: org).filter { removed.contains($0.key) && $0.value > 0 }
            let named = try await services.catalog.purposes(org: org).flatMap(\.stages)
                + (try await services.catalog.fields(org: org)).fields.flatMap(\.stages)
            if let stage = held.keys.sorted().first ?? removed.sorted().first(where: named.contains) {
                throw GuardlineError(.conflict, "Stage '\(stage)' is still in use (by contacts, a purpose or a field): move them first.")
            }
        }
        let trimmed = try stages.map { JourneyStage(key: $0.key, label: try TextRules.required($0.label, "label", max: 100)) }
        try await recording(principal, "catalog.stages.update", context: "stages \(trimmed.map(\.key).joined(separator: " "))") { step in
            try await services.catalog.setStages(trimmed, org: org, step: step)
        }
    }

    /// Fields no active purpose needs (data minimization), for the admin's catalog pages.
    public func minimizationWarnings(by principal: Principal) async throws -> [DataMinimization.Warning] {
        try principal.require(.manageCatalog, to: "read the data catalog's warnings")
        return DataMinimization.warnings(
            catalog: try await services.catalog.fields(org: principal.orgID), purposes: try await services.catalog.purposes(org: principal.orgID))
    }

    static func summary(_ purpose: Purpose) -> String {
        "purpose \(purpose.key), basis \(purpose.lawfulBasis.rawValue), channels \(purpose.channels.map(\.rawValue).joined(separator: " "))"
            + ", stages \(purpose.stages.isEmpty ? "any" : purpose.stages.joined(separator: " ")), \(purpose.active ? "active" : "inactive")"
    }
}
