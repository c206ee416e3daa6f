import Foundation
import GuardlineCore
import GuardlineStore

/// The privacy notice and the agent scripts: drafted from the catalog the first
/// time they are needed, edited by the admin into new immutable versions.
public struct NoticeLibrary: Sendable {
    let notices: NoticeStore
    let catalogs: CatalogCache
    let organizations: OrganizationStore
    let facts: PrivacyFactsStore
    let audit: AuditWriter
    let clock: WallClock

    /// The versions of the notice (`purpose` nil) or of a purpose's script, newest first;
    /// drafted as version 1 if there is none yet.
    public func versions(_ kind: NoticeVersion.Kind, purpose: String?, org: OrganizationID) async throws -> [NoticeVersion] {
        let stored = try await notices.versions(kind: kind, purpose: purpose, org: org)
        guard stored.isEmpty else { return stored }
        return [try await draft(kind, purpose: purpose, org: org)]
    }

    /// The version shown now.
    public func current(_ kind: NoticeVersion.Kind, purpose: String?, org: OrganizationID) async throws -> NoticeVersion {
        try await versions(kind, purpose: purpose, org: org)[0]
    }

    public func find(_ id: UUID, org: OrganizationID) async throws -> NoticeVersion? { try await notices.find(id, org: org) }

    /// A new version written by the admin (`manageCatalog`).
    public func publish(_ kind: NoticeVersion.Kind, purpose: String?, text: String, by principal: Principal) async throws -> NoticeVersion {
        try principal.require(.manageCatalog, to: "edit privacy notices and scripts")
        let text = try NoticeVersion.checkText(text)
        try await requireShape(kind, purpose: purpose, org: principal.orgID)
        let record = AuditRecord(by: principal.auditActor, org: principal.orgID, at: clock.now, action: "notice.publish",
                                 context: "\(kind.rawValue)\(purpose.map { " " + $0 } ?? "") \(NoticeVersion.hash(of: text))")
        return try await audit.recording(record) { step in
            try await notices.publish(kind: kind, purpose: purpose, text: text, by: principal.user.id, org: principal.orgID, at: clock.now, step: step)
        }
    }

    /// What every person is told beyond the catalog: recipients, transfers, automated decisions, authority.
    public func privacyFacts(org: OrganizationID) async throws -> PrivacyFacts { try await facts.facts(org: org) }

    /// The organization's own statement of them (`manageCatalog`), audited by its hash.
    public func setPrivacyFacts(_ written: PrivacyFacts, by principal: Principal) async throws -> PrivacyFacts {
        try principal.require(.manageCatalog, to: "edit what the privacy notice says about recipients and transfers")
        let checked = try PrivacyFacts.check(written)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let now = clock.now
        let record = AuditRecord(by: principal.auditActor, org: principal.orgID, at: now, action: "privacy.facts",
                                 context: NoticeVersion.hash(of: String(decoding: try encoder.encode(checked), as: UTF8.self)))
        try await audit.recording(record) { step in
            try await facts.set(checked, org: principal.orgID, by: principal.user.id.description, at: now, step: step)
        }
        return checked
    }

    /// A notice names no purpose; a script names an existing one.
    func requireShape(_ kind: NoticeVersion.Kind, purpose: String?, org: OrganizationID) async throws {
        switch (kind, purpose) {
        case (.notice, nil): return
        case (.notice, .some): throw GuardlineError.invalid("The privacy notice covers every purpose; leave 'purpose' out.")
        case (.script, nil): throw GuardlineError.invalid("A script is for one purpose: name it in 'purpose'.")
        case (.script, .some(let key)):
            guard try await catalogs.purposes(for: org).contains(where: { $0.key == key }) else { throw GuardlineError.notFound("The purpose") }
        }
    }

    /// Version 1, written by Guardline from the catalog.
    private func draft(_ kind: NoticeVersion.Kind, purpose key: String?, org: OrganizationID) async throws -> NoticeVersion {
        try await requireShape(kind, purpose: key, org: org)
        let name = try await organizations.find(org)?.name ?? "We"
        let purposes = try await catalogs.purposes(for: org)
        let catalog = try await catalogs.catalog(for: org)
        let text: String
        if let key, let purpose = purposes.first(where: { $0.key == key }) {
            text = NoticeDrafts.script(organization: name, purpose: purpose, catalog: catalog)
        } else {
            text = NoticeDrafts.notice(organization: name, purposes: purposes, catalog: catalog)
        }
        let record = AuditRecord(by: .system, org: org, at: clock.now, action: "notice.publish",
                                 context: "\(kind.rawValue)\(key.map { " " + $0 } ?? "") \(NoticeVersion.hash(of: text)) drafted from the catalog")
        do {
            return try await audit.recording(record) { step in
                try await notices.publish(kind: kind, purpose: key, text: text, by: nil, org: org, at: clock.now, step: step)
            }
        } catch let error as GuardlineError where error.code == .conflict {
            // Drafted by another request at the same moment: theirs is version 1.
            guard let first = try await notices.versions(kind: kind, purpose: key, org: org).last else { throw error }
            return first
        }
    }
}
