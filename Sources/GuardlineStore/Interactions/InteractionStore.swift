import Foundation
import GuardlineCore
import SQLKit

/// Interactions: their facts in columns, what was said sealed (by the caller, under
/// the contact's key) in `content`, and what tokenizing kept aside in `originals`.
public struct InteractionStore: Sendable {
    /// An interaction as stored, its sealed parts still closed.
    public struct Row: Sendable {
        public var interaction: Interaction
        public var content: [UInt8]?
        public var originals: [UInt8]?

        public init(interaction: Interaction, content: [UInt8]? = nil, originals: [UInt8]? = nil) {
            self.interaction = interaction
            self.content = content
            self.originals = originals
        }
    }

    let store: SQLStore

    public init(_ store: SQLStore) { self.store = store }

    public func insert(_ row: Row, step: TransactionStep? = nil) async throws {
        try await store.transaction { db in
            if let contact = row.interaction.contactID {
                // Not for someone erased a moment ago: the erasure's row lock (PostgreSQL) or the one writer (SQLite) orders the two.
                let lock = store.engine == .postgres ? " FOR SHARE" : ""
                guard try await db.raw("""
                    SELECT id FROM contact WHERE id = \(bind: contact.description) AND org_id = \(bind: row.interaction.orgID.description)
                      AND erased_at IS NULL\(unsafeRaw: lock)
                    """).first() != nil
                else { throw GuardlineError.notFound("The contact") }
            }
            try await Self.insert(row, on: db)
            try await step?(db)
        }
    }

    static func insert(_ row: Row, on db: any SQLDatabase) async throws { try await db.raw(insertQuery(row)).run() }

    static func insertQuery(_ row: Row) -> SQLQueryString {
        let i = row.interaction
        return SQLQueryString("""
            INSERT INTO interaction (id, org_id, contact_id, channel, direction, state, source, agent_id, team_id, assigned_at, assigned_by, queue, call_id, caller_hash,
                                     started_at, answered_at, ended_at, closed_at, disposition, content, originals, updated_at)
            VALUES (\(bind: i.id.description), \(bind: i.orgID.description), \(bind: i.contactID?.description), \(bind: i.channel.rawValue),
                    \(bind: i.direction.rawValue), \(bind: i.state.rawValue), \(bind: i.source.rawValue), \(bind: i.agentID?.description), \(bind: i.teamID?.description),
                    \(bind: i.assignedAt?.millis), \(bind: i.assignedBy?.rawValue), \(bind: i.queue), \(bind: i.callKey), \(bind: i.callerHash.map { Data($0) }), \(bind: i.startedAt.millis), \(bind: i.answeredAt?.millis),
                    \(bind: i.endedAt?.millis), \(bind: i.closedAt?.millis), \(bind: i.disposition), \(bind: row.content.map { Data($0) }),
                    \(bind: row.originals.map { Data($0) }), \(bind: i.updatedAt.millis))
            """)
    }

    /// Writes the facts back; `content`, when given, replaces the sealed parts.
    static func update(_ i: Interaction, content: (sealed: [UInt8], originals: [UInt8]?)?, on db: any SQLDatabase) async throws {
        try await db.raw(updateQuery(i, content: content)).run()
    }

    static func updateQuery(_ i: Interaction, content: (sealed: [UInt8], originals: [UInt8]?)?) -> SQLQueryString {
        var query = SQLQueryString("""
            UPDATE interaction SET contact_id = \(bind: i.contactID?.description), state = \(bind: i.state.rawValue),
                agent_id = \(bind: i.agentID?.description), team_id = \(bind: i.teamID?.description), assigned_at = \(bind: i.assignedAt?.millis),
                assigned_by = \(bind: i.assignedBy?.rawValue), caller_hash = \(bind: i.callerHash.map { Data($0) }),
                queue = \(bind: i.queue), started_at = \(bind: i.startedAt.millis), answered_at = \(bind: i.answeredAt?.millis),
                ended_at = \(bind: i.endedAt?.millis), closed_at = \(bind: i.closedAt?.millis), disposition = \(bind: i.disposition),
                updated_at = \(bind: i.updatedAt.millis)
            """)
        if let content {
            query.appendInterpolation(unsafeRaw: ", content = ")
            query.appendInterpolation(bind: Data(content.sealed))
            query.appendInterpolation(unsafeRaw: ", originals = ")
            query.appendInterpolation(bind: content.originals.map { Data($0) })
        }
        query.appendInterpolation(unsafeRaw: " WHERE id = ")
        query.appendInterpolation(bind: i.id.description)
        query.appendInterpolation(unsafeRaw: " AND org_id = ")
        query.appendInterpolation(bind: i.orgID.description)
        return query
    }

    /// Changes one interaction under a lock on its row (PostgreSQL; SQLite has one writer):
    /// `change` gets it as stored and answers what to write, or nil to leave it.
    public func modify<R: Sendable>(
        _ id: InteractionID, org: OrganizationID,
        _ change: @escaping @Sendable (Row) throws -> (row: Row, rewritesContent: Bool, result: R)?, step: TransactionStep? = nil
    ) async throws -> R? {
        try await store.transaction { db in
            let lock = store.engine == .postgres ? " FOR UPDATE" : ""
            guard let current = try await db.raw("""
                SELECT * FROM interaction WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)\(unsafeRaw: lock)
                """).first().map(Self.row)
            else { return nil }
            guard let (changed, rewrites, result) = try change(current) else { return nil }
            try await Self.update(changed.interaction, content: rewrites ? changed.content.map { ($0, changed.originals) } : nil, on: db)
            try await step?(db)
            return result
        }
    }

    public func find(_ id: InteractionID, org: OrganizationID) async throws -> Row? {
        try await store.reads.raw("""
            SELECT * FROM interaction WHERE id = \(bind: id.description) AND org_id = \(bind: org.description)
            """).first().map(Self.row)
    }

    public func find(callKey: String, org: OrganizationID) async throws -> Row? {
        try await store.reads.raw("SELECT * FROM interaction WHERE org_id = \(bind: org.description) AND call_id = \(bind: callKey)").first().map(Self.row)
    }

    /// A contact's interactions, newest first, a page at a time (`before` the last id seen).
    public func forContact(_ contact: ContactID, org: OrganizationID, before: InteractionID? = nil, limit: Int) async throws -> [Row] {
        var query = SQLQueryString("SELECT * FROM interaction WHERE org_id = \(bind: org.description) AND contact_id = \(bind: contact.description)")
        if let before {
            query.appendInterpolation(unsafeRaw: " AND id < ")
            query.appendInterpolation(bind: before.description)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY id DESC LIMIT \(max(1, limit))")
        return try await store.reads.raw(query).all().map(Self.row)
    }

    /// The interactions not closed (live calls and chats, wrap-ups) held by `agent`, or by
    /// `team`'s agents, or by anyone when both are nil: newest first, at most `limit`.
    public func open(org: OrganizationID, agent: UserID? = nil, team: TeamID? = nil, limit: Int = 100) async throws -> [Interaction] {
        var query = SQLQueryString("SELECT * FROM interaction WHERE org_id = \(bind: org.description) AND state <> 'closed'")
        if let agent {
            query.appendInterpolation(unsafeRaw: " AND agent_id = ")
            query.appendInterpolation(bind: agent.description)
        }
        if let team {
            query.appendInterpolation(unsafeRaw: " AND team_id = ")
            query.appendInterpolation(bind: team.description)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY id DESC LIMIT \(max(1, limit))")
        return try await store.reads.raw(query).all().map { try Self.row($0).interaction }
    }

    // MARK: CTI

    /// Whether this event (call, kind, agent and the PBX's time, if it gave one) was taken before.
    public func hasTaken(_ event: CallEvent, occurred: Date?, org: OrganizationID) async throws -> Bool {
        try await store.reads.raw("""
            SELECT call_id FROM cti_event WHERE org_id = \(bind: org.description) AND call_id = \(bind: event.callKey)
              AND kind = \(bind: event.kind.rawValue) AND agent_id = \(bind: event.agent?.description ?? "") AND occurred = \(bind: occurred?.millis ?? 0)
            """).first() != nil
    }

    /// Whether `error` is another writer's row winning a unique key (two first events of one call at once).
    public static func isConflict(_ error: any Error) -> Bool { isUniqueViolation(error) }

    /// Takes a call event once: answers false (and changes nothing) when the same event
    /// (call, kind, agent and the PBX's time of it, when it gave one) was taken before, so a
    /// PBX's retries are absorbed while a call moved back and forth keeps every hand-over.
    public func applyCallEvent<R: Sendable>(
        _ event: CallEvent, occurred: Date?, org: OrganizationID, receivedAt: Date,
        _ fold: @escaping @Sendable (Row?) throws -> (row: Row, isNew: Bool, result: R), step: TransactionStep? = nil
    ) async throws -> (taken: Bool, result: R?) {
        let conflict = store.engine == .postgres ? " ON CONFLICT DO NOTHING" : ""
        let insert = store.engine == .postgres ? "INSERT" : "INSERT OR IGNORE"
        let taking = SQLQueryString("""
            \(unsafeRaw: insert) INTO cti_event (org_id, call_id, kind, agent_id, occurred, at, received_at)
            VALUES (\(bind: org.description), \(bind: event.callKey), \(bind: event.kind.rawValue), \(bind: event.agent?.description ?? ""),
                    \(bind: occurred?.millis ?? 0), \(bind: event.at.millis), \(bind: receivedAt.millis))\(unsafeRaw: conflict) RETURNING call_id
            """)
        let lock = store.engine == .postgres ? " FOR UPDATE" : ""
        let reading = SQLQueryString("""
            SELECT * FROM interaction WHERE org_id = \(bind: org.description) AND call_id = \(bind: event.callKey)\(unsafeRaw: lock)
            """)
        @Sendable func write(_ current: Row?) throws -> (query: SQLQueryString, result: R) {
            let (row, isNew, result) = try fold(current)
            return (isNew ? Self.insertQuery(row) : Self.updateQuery(row.interaction, content: nil), result)
        }
        // On SQLite (whose audit entry went first: no step) events are written in batches, each in a
        // savepoint, one visit to the writer's thread and one commit for many: they come in bursts and are small.
        if step == nil, let embedded = store.embedded {
            return try await embedded.batched { session in
                guard try !session.rows(taking).isEmpty else { return (false, nil) }
                let (query, result) = try write(try session.rows(reading).first.map(Self.row))
                _ = try session.rows(query)
                return (true, result)
            }
        }
        return try await store.transaction { db in
            guard try await !db.raw(taking).all().isEmpty else { return (false, nil) }
            let (query, result) = try write(try await db.raw(reading).first().map(Self.row))
            try await db.raw(query).run()
            try await step?(db)
            return (true, result)
        }
    }

    static func row(_ row: any SQLRow) throws -> Row {
        guard let channel = InteractionChannel(rawValue: try row.string("channel")),
              let direction = InteractionDirection(rawValue: try row.string("direction")),
              let state = InteractionState(rawValue: try row.string("state")),
              let source = InteractionSource(rawValue: try row.string("source"))
        else { throw GuardlineError(.unavailable, "An interaction row could not be read; the table may have been altered.") }
        let content = try row.decodeNil(column: "content") ? nil : try row.bytes("content")
        let originals = try row.decodeNil(column: "originals") ? nil : try row.bytes("originals")
        return Row(interaction: Interaction(
            id: try row.id("id"), orgID: try row.id("org_id"), contactID: try row.optionalID("contact_id"), channel: channel,
            direction: direction, state: state, source: source, agentID: try row.optionalID("agent_id"), teamID: try row.optionalID("team_id"),
            assignedAt: try row.optionalDate("assigned_at"), assignedBy: try row.optionalString("assigned_by").flatMap(CallEvent.Kind.init(rawValue:)), queue: try row.optionalString("queue"), callKey: try row.optionalString("call_id"),
            callerHash: try row.decodeNil(column: "caller_hash") ? nil : try row.bytes("caller_hash"),
            startedAt: try row.date("started_at"), answeredAt: try row.optionalDate("answered_at"), endedAt: try row.optionalDate("ended_at"),
            closedAt: try row.optionalDate("closed_at"), disposition: try row.optionalString("disposition"), hasContent: content != nil,
            updatedAt: try row.date("updated_at")), content: content, originals: originals)
    }
}
