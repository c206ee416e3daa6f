import Foundation
import GuardlineCore
import NIOCore
import SQLKit
import SQLiteKit

/// A signed checkpoint pinning the chain at one entry.
public struct AuditCheckpoint: Sendable, Equatable {
    public var seq: Int64
    public var hash: [UInt8]
    public var signature: [UInt8]
    public var publicKey: [UInt8]
}

/// The audit table: appends linked into the hash chain, queries, and a
/// streaming read for verification.
public struct AuditLog: Sendable {
    /// Signs a checkpoint over (org, seq, hash); supplied by the crypto layer.
    public typealias Sign = @Sendable (OrganizationID, Int64, [UInt8]) throws -> (signature: [UInt8], publicKey: [UInt8])

    let store: SQLStore
    public let checkpointInterval: Int64
    /// On SQLite, chains at least this long are verified in parts side by side (`verifyParts`).
    let parallelVerifyThreshold: Int64

    public init(_ store: SQLStore, checkpointInterval: Int64 = 1000, parallelVerifyThreshold: Int64 = 100_000) {
        self.store = store
        self.checkpointInterval = checkpointInterval
        self.parallelVerifyThreshold = parallelVerifyThreshold
    }

    /// Refuses to run on SQLite without the audit tables in their file: opening a
    /// deleted or misplaced `…-audit.sqlite` gives an empty file, and a server
    /// on it would refuse every audited action, or start a new chain as if the
    /// old one had never been.
    public func requireStorage() async throws {
        guard case .sqlite(let path) = store.location else { return }
        let found = try await store.reads.raw("SELECT name FROM audit.sqlite_master WHERE name = 'audit_event'").first()
        guard found == nil else { return }
        throw GuardlineError(.unavailable, """
            The audit trail \(DatabaseLocation.auditTrailPath(forDataFile: path)) has no audit tables (deleted, moved \
            or replaced?). Restore it from the backup taken with the data file; Guardline will not start a new chain beside the data.
            """)
    }

    /// Whether one process writes the chain (SQLite, through its writer thread); on
    /// PostgreSQL any number of servers append to it.
    public var hasSingleWriter: Bool { store.engine == .sqlite }

    /// The end of an organization's chain: its last sequence number and hash.
    public typealias Head = (seq: Int64, hash: [UInt8])


    static var unreadableRow: GuardlineError {
        GuardlineError(.unavailable, "An audit row could not be read; the table may have been tampered with.")
    }

    static func entry(_ row: any SQLRow, org: OrganizationID? = nil) throws -> AuditEntry {
        let fields = try row.string("fields").split(separator: ",").map(String.init)
        let record = AuditRecord(
            orgID: try org ?? row.id("org_id"), at: try row.date("at"),
            actorKind: AuditActorKind(rawValue: try row.string("actor_kind")) ?? .system,
            actorID: try row.optionalString("actor_id"), action: try row.string("action"),
            contactID: try row.optionalID("contact_id"), fields: fields, context: try row.optionalString("context"))
        return AuditEntry(seq: try row.int64("seq"), record: record, previousHash: try row.bytes("prev_hash"), hash: try row.bytes("hash"))
    }
}
