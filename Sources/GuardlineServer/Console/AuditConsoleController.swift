import Foundation
import GuardlineCore
import GuardlineStore
import Hummingbird

/// The DPO's audit log: who revealed which fields of which contact, when and
/// why, newest first, with the chain's verification status on top.
struct AuditConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/audit") { request, context in try await show(request, context) }
    }

    private func show(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try principal.require(.readAudit, to: "read the audit log")
        let query = request.uri.queryParameters
        let contactFilter = String(query["contact"] ?? "").trimmingCharacters(in: .whitespaces)
        let actionFilter = String(query["action"] ?? "").trimmingCharacters(in: .whitespaces)
        var filter = AuditLog.Query(limit: 100)
        if !contactFilter.isEmpty {
            guard let id = ContactID(contactFilter) else { throw GuardlineError.invalid("The contact filter must be a contact id.") }
            filter.contactID = id
        }
        if !actionFilter.isEmpty { filter.action = String(actionFilter.prefix(100)) }
        filter.before = query["before"].flatMap { Int64(String($0)) }
        let entries = try await services.auditLog.entries(org: principal.orgID, filter)
        let report = try await services.verification.verify(org: principal.orgID, incremental: true)
        let users = try await services.users.all(org: principal.orgID)
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id.description, $0.email) })
        let formatter = ISO8601DateFormatter()
        let notes = try await services.contacts.openNotes(inContexts: entries.compactMap(\.record.context), by: principal)
        let references = try await ContactStore(services.data).references(entries.compactMap(\.record.contactID), org: principal.orgID)
        let rows = entries.map { entry in
            let record = entry.record
            let actor = switch record.actorKind {
            case .user: record.actorID.flatMap { names[$0] } ?? record.actorID ?? "unknown"
            case .token: "token \(record.actorID?.prefix(8) ?? "")"
            case .system: "Guardline"
            case .subject: "the person, on the privacy portal"
            }
            return AuditPage.Row(
                seq: entry.seq, at: formatter.string(from: record.at), actor: actor, action: record.action,
                contactID: record.contactID?.description ?? "", contactShort: record.contactID.map { references[$0]?.description ?? String($0.description.prefix(8)) } ?? "",
                fields: record.fields.joined(separator: ", "), context: record.context ?? "",
                reason: record.context.flatMap { $0.firstMatch(of: /note ([0-9a-f-]{36})/).flatMap { notes[String($0.1)] } }
                    ?? (record.context?.contains("note ") == true ? "(sealed note gone: contact erased)" : ""))
        }
        return views.render("audit", AuditPage(
            chrome: Chrome(principal, csrf: csrf, current: "/audit"), intact: report.intact, checked: report.checked,
            problem: report.failure?.description, rows: rows, contactFilter: contactFilter, actionFilter: actionFilter,
            nextCursor: entries.count == filter.limit ? entries.last.map { String($0.seq) } : nil))
    }
}
