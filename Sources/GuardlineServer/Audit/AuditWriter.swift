import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import Metrics

/// The one writer of the audit chain. Appends are group-committed: callers
/// wait until their entry is durable, and every caller arriving while a batch
/// is being written joins the next batch, so a busy server pays one
/// transaction per batch rather than per access.
public actor AuditWriter {
    private enum Turn: Sendable {
        case committed
        case lead
    }

    private struct Waiter {
        let records: [AuditRecord]
        let continuation: CheckedContinuation<Turn, any Error>
    }

    private let log: AuditLog
    private let signer: CheckpointSigner
    private var pending: [Waiter] = []
    /// Where this process last left each chain; a stale head costs one retry.
    private var heads: [OrganizationID: AuditLog.Head] = [:]
    private var writing = false
    private let queueDepth = Gauge(label: "guardline_audit_queue_depth")

    public init(log: AuditLog, signer: CheckpointSigner) {
        self.log = log
        self.signer = signer
    }

    public func append(_ record: AuditRecord) async throws { try await append([record]) }

    /// Returns once the records are committed to the chain.
    public func append(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        if writing {
            let turn = try await withCheckedThrowingContinuation { continuation in
                pending.append(Waiter(records: records, continuation: continuation))
                queueDepth.record(pending.count)
            }
            guard case .lead = turn else { return }
        } else {
            writing = true
        }
        let batch = pending
        pending = []
        queueDepth.record(0)
        let signer = self.signer
        do {
            heads = try await log.append(records + batch.flatMap(\.records), knownHeads: heads) { org, seq, hash in
                (try signer.sign(org: org, seq: seq, hash: hash), signer.publicKey)
            }.heads
        } catch {
            heads = [:]
            for waiter in batch { waiter.continuation.resume(throwing: error) }
            handOver()
            throw GuardlineError(.unavailable, "The audit log could not be written, so the action was not carried out.", cause: error)
        }
        // The next leader first: its batch starts before the callers released here take the threads.
        handOver()
        for waiter in batch { waiter.continuation.resume(returning: .committed) }
    }

    /// The first waiter, if any, writes the next batch.
    private func handOver() {
        if pending.isEmpty {
            writing = false
        } else {
            pending.removeFirst().continuation.resume(returning: .lead)
        }
    }
}
