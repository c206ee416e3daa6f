import Foundation
import GuardlineCore
import SQLKit

/// The consent ledger: decisions appended, never changed. A contact's current
/// consent is folded from its events (`ConsentLedger`), not stored beside them.
public struct ConsentStore: Sendable {
    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    /// Appends a decision; `step` (its audit entry, on PostgreSQL) commits with it. Answers
    /// the event as stored.
    ///
    /// The ledger's order is the order of appends: a decision is placed at least a millisecond
    /// after the contact's previous one for the purpose and channel, so that a withdrawal
    /// recorded in the same millisecond as a grant (whose v7 ids would then order at random),
    /// or on a server whose clock is behind, still comes after it. Appends for one contact
    /// queue on its row (PostgreSQL; SQLite has one writer).
    @discardableResult
    public func append(_ event: ConsentEvent, step: TransactionStep? = nil) async throws -> ConsentEvent {
        try await store.transaction { db in
            let org = event.orgID.description, contact = event.contactID.description
            // The person must still be there: an erasure that committed a moment ago wins (on PostgreSQL
            // the row lock orders the two; SQLite's one writer already does).
            let lock = store.engine == .postgres ? " FOR UPDATE" : ""
            guard try await db.raw("""
                SELECT id FROM contact WHERE id = \(bind: contact) AND org_id = \(bind: org) AND erased_at IS NULL\(unsafeRaw: lock)
                """).first() != nil
            else { throw GuardlineError.notFound("The contact") }
            var stored = event
            if let previous = try await db.raw("""
                SELECT at FROM consent_event
                WHERE org_id = \(bind: org) AND purpose = \(bind: event.purpose) AND channel = \(bind: event.channel.rawValue) AND contact_id = \(bind: contact)
                ORDER BY id DESC LIMIT 1
                """).first().map({ try $0.int64("at") }), previous >= event.at.millis {
                // The middle of the next millisecond: whole milliseconds do not survive the trip through a Double.
                stored.at = Date(timeIntervalSince1970: (Double(previous) + 1.5) / 1000)
                stored.id = UUID.version7(at: stored.at)
            }
            try await Self.insert(stored, on: db)
            try await step?(db)
            return stored
        }
    }

    static func insert(_ event: ConsentEvent, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO consent_event (id, org_id, contact_id, purpose, channel, decision, source, captured_by,
                                       notice_version_id, notice_hash, interaction_id, evidence, at)
            VALUES (\(bind: event.id.uuidString.lowercased()), \(bind: event.orgID.description), \(bind: event.contactID.description),
                    \(bind: event.purpose), \(bind: event.channel.rawValue), \(bind: event.decision.rawValue), \(bind: event.source.rawValue),
                    \(bind: event.capturedBy), \(bind: event.noticeVersionID?.uuidString.lowercased()), \(bind: event.noticeHash),
                    \(bind: event.interactionID), \(bind: event.evidence), \(bind: event.at.millis))
            """).run()
    }

    /// A contact's decisions in the order they were recorded.
    public func events(contact: ContactID, org: OrganizationID) async throws -> [ConsentEvent] {
        try await store.reads.raw("""
            SELECT id, org_id, contact_id, purpose, channel, decision, source, captured_by, notice_version_id, notice_hash,
                   interaction_id, evidence, at
            FROM consent_event WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)
            ORDER BY at, id
            """).all().map(Self.event)
    }

    static func event(_ row: any SQLRow) throws -> ConsentEvent {
        guard let id = UUID(uuidString: try row.string("id")),
              let channel = ContactChannel(rawValue: try row.string("channel")),
              let decision = ConsentDecision(rawValue: try row.string("decision")),
              let source = ConsentSource(rawValue: try row.string("source"))
        else { throw GuardlineError(.unavailable, "A consent row could not be read; the table may have been altered.") }
        return ConsentEvent(
            id: id, orgID: try row.id("org_id"), contactID: try row.id("contact_id"), purpose: try row.string("purpose"),
            channel: channel, decision: decision, source: source, capturedBy: try row.optionalString("captured_by"),
            noticeVersionID: try row.optionalString("notice_version_id").flatMap(UUID.init(uuidString:)),
            noticeHash: try row.optionalString("notice_hash"), interactionID: try row.optionalString("interaction_id"),
            evidence: try row.optionalString("evidence"), at: try row.date("at"))
    }
}
