import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

/// Verification: the chain streamed in order into a `ChainVerifier`.
extension AuditLog {
    /// Streams the whole chain of an organization in order into `verifier`, or only
    /// the entries after `after` (an incremental verification continuing from there).
    public func verify(org: OrganizationID, after: Int64 = 0, into verifier: inout ChainVerifier) async throws {
        // The organization is known: not reading it back saves a column and a parse per row.
        let columns = "seq, at, actor_kind, actor_id, action, contact_id, fields, context, prev_hash, hash"
        if after == 0, let embedded = store.embedded {
            // On SQLite the scan reads each row's bytes in place, off the cooperative threads. A long
            // chain is cut into parts verified side by side (more parts than threads, so a thread that
            // finishes early takes the next) and joined in order. The first part has no lower bound and
            // the last no upper bound, so a stray seq below 1 or entries past a rolled-back head are read.
            let last = try await head(org: org)?.seq ?? 0
            let parts = last >= parallelVerifyThreshold ? Self.verifyParts : 1
            let segments = try await withThrowingTaskGroup(of: (Int, ChainVerifier).self) { group in
                for part in 0..<parts {
                    var sql = "SELECT \(columns) FROM audit_event WHERE org_id = ?"
                    var binds: [SQLiteData] = []
                    if part > 0 {
                        sql += " AND seq > ?"
                        binds.append(.integer(Int(last) * part / parts))
                    }
                    if part < parts - 1 {
                        sql += " AND seq <= ?"
                        binds.append(.integer(Int(last) * (part + 1) / parts))
                    }
                    let start = part == 0 ? verifier : verifier.laterSegment()
                    group.addTask { [sql, binds] in
                        (part, try await embedded.offload {
                            try Self.verify(org: org, on: embedded, into: start, sql: sql + " ORDER BY seq", binds: binds)
                        })
                    }
                }
                var segments = [ChainVerifier?](repeating: nil, count: parts)
                for try await (part, segment) in group { segments[part] = segment }
                return segments.compactMap { $0 }
            }
            verifier = segments.dropFirst().reduce(into: segments[0]) { $0.append($1) }
            return
        }
        // PostgreSQL, or the entries after a verified position: rows streamed through SQLKit.
        // A full walk has no lower bound, so a stray seq below 1 is read too.
        let box = VerifierBox(verifier)
        var query = SQLQueryString("SELECT \(unsafeRaw: columns) FROM audit_event WHERE org_id = \(bind: org.description)")
        if after > 0 { query.appendInterpolation(unsafeRaw: " AND seq > "); query.appendInterpolation(bind: after) }
        query.appendInterpolation(unsafeRaw: " ORDER BY seq")
        try await store.longReads.execute(sql: query) { row in
            guard box.verifier.failure == nil else { return }
            do {
                box.verifier.check(try Self.entry(row, org: org))
            } catch {
                box.decodeFailure = true
            }
        }
        verifier = box.verifier
        if box.decodeFailure, verifier.failure == nil { throw Self.unreadableRow }
    }

    static func verify(
        org: OrganizationID, on database: EmbeddedSQLite, into start: ChainVerifier, sql: String, binds: [SQLiteData]
    ) throws -> ChainVerifier {
        var verifier = start
        let orgText = Array(org.description.utf8)
        try orgText.withUnsafeBytes { orgBytes in
            try database.read(sql, [.text(org.description)] + binds) { row in
                // The table declares these NOT NULL; a NULL read as empty fails its hash like any other change.
                verifier.check(ChainVerifier.StoredEntry(
                    seq: row.int64(0), atMillis: row.int64(1), actorKind: row.requiredBytes(2), actorID: row.bytes(3),
                    action: row.requiredBytes(4), contactID: row.bytes(5), fields: row.requiredBytes(6), context: row.bytes(7),
                    previousHash: row.requiredBytes(8), hash: row.requiredBytes(9)
                ), org: orgBytes)
            }
        }
        return verifier
    }

    /// How many parts a long chain is verified in, on as many threads as NIO's blocking pool has.
    static let verifyParts = 8
}

/// Rows arrive one at a time on one thread; the box only carries state across the callback.
private final class VerifierBox: @unchecked Sendable {
    var verifier: ChainVerifier
    var decodeFailure = false
    init(_ verifier: ChainVerifier) { self.verifier = verifier }
}
