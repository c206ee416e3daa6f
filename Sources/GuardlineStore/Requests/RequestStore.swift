import Foundation
import GuardlineCore
import SQLKit

/// Data subject requests: their facts in columns (codes and dates, nothing about the
/// person), and a proposed correction sealed by the caller under the contact's key.
public struct RequestStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// A request as stored, with its sealed proposed changes (rectification) if any.
    public struct Row: Sendable {
        public var request: SubjectRequest
        public var sealedChanges: [UInt8]?

        public init(request: SubjectRequest, sealedChanges: [UInt8]? = nil) {
            self.request = request
            self.sealedChanges = sealedChanges
        }
    }

    /// Files a request. When the person already has an open request of the same kind it
    /// is linked to it as a repeat (`duplicateOf`), in the same transaction that reads it.
    public func file(_ row: Row, step: TransactionStep? = nil) async throws -> SubjectRequest {
        try await store.transaction { db in
            var request = row.request
            if RequestWorkflow.mayRepeat(request.kind) {
                // The same kind, asking the same (the same purpose, or none for both).
                request.duplicateOf = try await db.raw("""
                    SELECT id FROM subject_request WHERE org_id = \(bind: request.orgID.description) AND contact_id = \(bind: request.contactID.description)
                      AND kind = \(bind: request.kind.rawValue) AND state IN (\(Self.openStates)) AND duplicate_of IS NULL
                      AND COALESCE(purpose, '') = \(bind: request.purpose ?? "") ORDER BY id LIMIT 1
                    """).first().map { try $0.id("id") }
            }
            let r = request
            try await db.raw("""
                INSERT INTO subject_request (id, org_id, contact_id, kind, channel, state, received_at, due_at, extended, verification, verified_at,
                                             verified_by, duplicate_of, rejection, purpose, sealed_changes, closed_at, updated_at, language, external_id)
                VALUES (\(bind: r.id.description), \(bind: r.orgID.description), \(bind: r.contactID.description), \(bind: r.kind.rawValue),
                        \(bind: r.channel.rawValue), \(bind: r.state.rawValue), \(bind: r.receivedAt.millis), \(bind: r.dueAt.millis),
                        \(bind: r.extended?.rawValue), \(bind: r.verification?.rawValue), \(bind: r.verifiedAt?.millis), \(bind: r.verifiedBy),
                        \(bind: r.duplicateOf?.description),
                        \(bind: r.rejection?.rawValue), \(bind: r.purpose), \(bind: row.sealedChanges.map { Data($0) }), \(bind: r.closedAt?.millis),
                        \(bind: r.updatedAt.millis), \(bind: r.language), \(bind: r.externalID))
                """).run()
            try await step?(db)
            return request
        }
    }

    /// Moves a request under a lock on its row (PostgreSQL; SQLite has one writer): `change`
    /// gets it as stored and answers it changed, or throws to leave it. Nil if there is none.
    public func modify<R: Sendable>(
        _ id: SubjectRequestID, org: OrganizationID, _ change: @escaping @Sendable (Row) throws -> (SubjectRequest, R), step: TransactionStep? = nil
    ) async throws -> (SubjectRequest, R)? {
        try await store.transaction { db in
            let lock = store.engine == .postgres ? " FOR UPDATE" : ""
            guard let current = try await db.raw("""
                SELECT * FROM subject_request WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)\(unsafeRaw: lock)
                """).first().map(Self.row)
            else { return nil }
            let (r, result) = try change(current)
            // A proposed correction is kept only while the request is open.
            let clearing = r.state.isOpen ? "" : ", sealed_changes = NULL"
            try await db.raw("""
                UPDATE subject_request SET state = \(bind: r.state.rawValue), due_at = \(bind: r.dueAt.millis), extended = \(bind: r.extended?.rawValue),
                    verification = \(bind: r.verification?.rawValue), verified_at = \(bind: r.verifiedAt?.millis), verified_by = \(bind: r.verifiedBy),
                    rejection = \(bind: r.rejection?.rawValue), closed_at = \(bind: r.closedAt?.millis), updated_at = \(bind: r.updatedAt.millis)\(unsafeRaw: clearing)
                WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
                """).run()
            try await step?(db)
            return (r, result)
        }
    }

    public func find(_ id: SubjectRequestID, org: OrganizationID) async throws -> Row? {
        try await store.reads.raw("""
            SELECT * FROM subject_request WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.row)
    }

    /// A request by the id its upstream controller gave it.
    public func find(external id: String, org: OrganizationID) async throws -> Row? {
        try await store.reads.raw("""
            SELECT * FROM subject_request WHERE org_id = \(bind: org.description) AND external_id = \(bind: id)
            """).first().map(Self.row)
    }

    /// A person's requests, newest first.
    public func forContact(_ contact: ContactID, org: OrganizationID, limit: Int = 100) async throws -> [SubjectRequest] {
        try await store.reads.raw("""
            SELECT * FROM subject_request WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
            ORDER BY id DESC LIMIT \(unsafeRaw: String(max(1, limit)))
            """).all().map { try Self.row($0).request }
    }

    /// Whether the person has an open request of this kind.
    public func hasOpen(_ kind: RequestKind, contact: ContactID, org: OrganizationID) async throws -> Bool {
        try await store.reads.raw("""
            SELECT id FROM subject_request WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
              AND kind = \(bind: kind.rawValue) AND state IN (\(Self.openStates)) LIMIT 1
            """).first() != nil
    }

    /// The open repeats of a request, to follow it when it is answered.
    public func openRepeats(of id: SubjectRequestID, org: OrganizationID) async throws -> [SubjectRequest] {
        try await store.reads.raw("""
            SELECT * FROM subject_request WHERE org_id = \(bind: org.description) AND duplicate_of = \(bind: id.description)
              AND state IN (\(Self.openStates)) ORDER BY id
            """).all().map { try Self.row($0).request }
    }

    /// The DPO's queue: open requests, the earliest due first (so the overdue lead, then those due
    /// soon), a page at a time after (`after`) the last one seen.
    public func queue(org: OrganizationID, after: (due: Date, id: SubjectRequestID)? = nil, limit: Int) async throws -> [SubjectRequest] {
        var query = SQLQueryString("SELECT * FROM subject_request WHERE org_id = \(bind: org.description) AND state IN (\(Self.openStates))")
        if let after {
            query.appendInterpolation(unsafeRaw: " AND (due_at > ")
            query.appendInterpolation(bind: after.due.millis)
            query.appendInterpolation(unsafeRaw: " OR (due_at = ")
            query.appendInterpolation(bind: after.due.millis)
            query.appendInterpolation(unsafeRaw: " AND id > ")
            query.appendInterpolation(bind: after.id.description)
            query.appendInterpolation(unsafeRaw: "))")
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY due_at, id LIMIT \(max(1, limit))")
        return try await store.reads.raw(query).all().map { try Self.row($0).request }
    }

    /// How many open requests the organization has, overdue and in all.
    public func openCounts(org: OrganizationID, at now: Date) async throws -> (open: Int, overdue: Int) {
        let row = try await store.reads.raw("""
            SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN due_at < \(bind: now.millis) THEN 1 ELSE 0 END), 0) AS overdue
            FROM subject_request WHERE org_id = \(bind: org.description) AND state IN (\(Self.openStates))
            """).first()
        return (try row?.decode(column: "open", as: Int.self) ?? 0, try row?.decode(column: "overdue", as: Int.self) ?? 0)
    }

    static let openStates = SQLRaw(RequestState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", "))

    static func row(_ row: any SQLRow) throws -> Row {
        func code<T: RawRepresentable>(_ column: String, _: T.Type) throws -> T? where T.RawValue == String {
            guard let raw = try row.optionalString(column) else { return nil }
            guard let value = T(rawValue: raw) else { throw unreadable }
            return value
        }
        guard let kind = try code("kind", RequestKind.self), let channel = try code("channel", RequestChannel.self),
              let state = try code("state", RequestState.self)
        else { throw unreadable }
        let sealed = try row.decodeNil(column: "sealed_changes") ? nil : try row.bytes("sealed_changes")
        return Row(request: SubjectRequest(
            id: try row.id("id"), orgID: try row.id("org_id"), contactID: try row.id("contact_id"), kind: kind, channel: channel, state: state,
            receivedAt: try row.date("received_at"), dueAt: try row.date("due_at"), extended: try code("extended", ExtensionReason.self),
            verification: try code("verification", VerificationMethod.self), verifiedAt: try row.optionalDate("verified_at"),
            verifiedBy: try row.optionalString("verified_by"),
            duplicateOf: try row.optionalID("duplicate_of"), rejection: try code("rejection", RejectionReason.self),
            purpose: try row.optionalString("purpose"), closedAt: try row.optionalDate("closed_at"), updatedAt: try row.date("updated_at"),
            language: try row.optionalString("language"), externalID: try row.optionalString("external_id")),
            sealedChanges: sealed)
    }

    static let unreadable = GuardlineError(.unavailable, "A request row could not be read; the table may have been altered.")
}
