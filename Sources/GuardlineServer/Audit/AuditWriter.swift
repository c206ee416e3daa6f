import Foundation
import GuardlineCore
import Logging
import GuardlineCrypto
import GuardlineStore
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The one writer of the audit chain. Appends are group-committed: callers
/// wait until their entry is durable, and every caller arriving while a batch
/// is being written joins the next batch, so a busy server pays one
/// transaction per batch rather than per access.
///
/// On SQLite the batches are written on the database's writer thread, which
/// resumes the callers itself and goes straight on to the next batch: under
/// load the cooperative threads are busy with requests, and a writer that
/// had to wait for one of them between batches would sit idle. Elsewhere
/// (PostgreSQL) a drain task writes the batches. Changes are recorded through
/// `recording`, which on PostgreSQL puts the entry in the change's own transaction.
public final class AuditWriter: Sendable {
    private struct Waiter {
        let records: [AuditRecord]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        /// A batch is being written or scheduled; new callers only queue.
        var draining = false
        /// Where this process last left each chain; a stale head costs one retry.
        var heads: [OrganizationID: AuditLog.Head] = [:]
        /// When the last batch was taken and how many callers it served (see `commitWindow`).
        var lastBatch: (taken: NIODeadline, callers: Int) = (.distantPast, 0)
    }

    /// Under concurrent load (the last batch served more than one caller) a batch
    /// is taken at most this often, so it gathers more callers. Every commit costs
    /// the same log header, head page and last leaf however many entries it holds;
    /// a lone caller never waits.
    static let commitWindow = TimeAmount.microseconds(2_000)

    let log: AuditLog
    private let signer: CheckpointSigner
    let witness: AuditWitness?
    /// A copy of each witnessed checkpoint sent to syslog, if configured.
    private let syslog: SyslogWitness?
    private let syslogFailures = Counter(label: "guardline_audit_syslog_witness_failures_total")
    /// Checkpoints the witness file could not take (the chain itself is written).
    private let witnessFailures = Counter(label: "guardline_audit_witness_failures_total")
    private let state = NIOLockedValueBox(State())
    private let queueDepth = Gauge(label: "guardline_audit_queue_depth")
    /// Entries that could not be written (their callers were refused); no personal data in labels.
    let failures = Counter(label: "guardline_audit_write_failures_total")

    let logger: Logger

    public init(
        log: AuditLog, signer: CheckpointSigner, witness: AuditWitness?, syslog: SyslogWitness? = nil,
        logger: Logger = Logger(label: "guardline.audit")
    ) {
        self.log = log
        self.signer = signer
        self.witness = witness
        self.syslog = syslog
        self.logger = logger
    }

    /// The checkpoints just committed, written to the witness as well (see `AuditWitness`).
    func witness(_ pinned: [AuditEntry]) {
        guard witness != nil || syslog != nil, !pinned.isEmpty else { return }
        let checkpoints: [AuditWitness.Checkpoint]
        do {
            checkpoints = try pinned.map {
                AuditWitness.Checkpoint(org: $0.record.orgID, seq: $0.seq, hash: $0.hash,
                                        signature: try signer.sign(org: $0.record.orgID, seq: $0.seq, hash: $0.hash))
            }
        } catch {
            witnessFailures.increment(by: pinned.count)
            return
        }
        if let witness {
            do { try witness.record(checkpoints) } catch { witnessFailures.increment(by: pinned.count) }
        }
        if let syslog {
            do { try syslog.send(checkpoints) } catch { syslogFailures.increment(by: pinned.count) }
        }
    }

    public func append(_ record: AuditRecord) async throws { try await append([record]) }

    /// Returns once the records are committed to the chain.
    public func append(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLockedValue { state in
                state.pending.append(Waiter(records: records, continuation: continuation))
                queueDepth.record(state.pending.count)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { drain() }
        }
    }

    private func drain() {
        if let inline = log.inline {
            inline.schedule { appender in self.writeInline(appender, then: inline) }
        } else {
            // Ends when the queue is empty; the callers it serves are waiting on it.
            Task { while let batch = self.nextBatch() { await self.write(batch) } }
        }
    }

    /// One batch per turn at the writer, so other writes are not starved by a steady stream of audits.
    private func writeInline(_ appender: AuditLog.Appender?, then inline: AuditLog.InlineWriter, waited: Bool = false) {
        let last = state.withLockedValue { $0.lastBatch }
        let wait = last.taken + Self.commitWindow - .now()
        if appender != nil, !waited, last.callers > 1, wait > .zero {
            // Off the writer's thread: other writes (a batch of call events) use it meanwhile.
            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: wait) {
                inline.schedule { appender in self.writeInline(appender, then: inline, waited: true) }
            }
            return
        }
        guard let batch = nextBatch() else { return }
        guard let appender else {
            finish(batch, with: .failure(AuditLog.InlineWriter.closed))
            return
        }
        let sign = self.sign
        let result = Result { try appender.append(batch.records, knownHeads: batch.heads, sign: sign) }
        if case .failure = result, batch.waiters.count > 1 {
            // One caller's entries must not sink the others' (another organization's chain, say): each goes alone.
            for waiter in batch.waiters {
                finish(Batch(waiters: [waiter], heads: [:]), with: Result { try appender.append(waiter.records, knownHeads: [:], sign: sign) })
            }
        } else {
            finish(batch, with: result)
        }
        if hasMore() { inline.schedule { appender in self.writeInline(appender, then: inline) } }
    }

    private func write(_ batch: Batch) async {
        do {
            finish(batch, with: .success(try await log.append(batch.records, knownHeads: batch.heads, sign: sign)))
        } catch where batch.waiters.count > 1 {
            for waiter in batch.waiters {
                do {
                    finish(Batch(waiters: [waiter], heads: [:]), with: .success(try await log.append(waiter.records, knownHeads: [:], sign: sign)))
                } catch {
                    finish(Batch(waiters: [waiter], heads: [:]), with: .failure(error))
                }
            }
        } catch {
            finish(batch, with: .failure(error))
        }
    }

    /// Signs each checkpoint the log makes.
    var sign: AuditLog.Sign {
        let signer = self.signer
        return { org, seq, hash in (try signer.sign(org: org, seq: seq, hash: hash), signer.publicKey) }
    }

    private struct Batch {
        let waiters: [Waiter]
        let heads: [OrganizationID: AuditLog.Head]
        var records: [AuditRecord] { waiters.flatMap(\.records) }
    }

    /// Takes everything queued, or ends the drain when nothing is.
    private func nextBatch() -> Batch? {
        state.withLockedValue { state in
            guard !state.pending.isEmpty else {
                state.draining = false
                return nil
            }
            defer { state.pending = [] }
            state.lastBatch = (.now(), state.pending.count)
            queueDepth.record(0)
            return Batch(waiters: state.pending, heads: state.heads)
        }
    }

    /// Whether to keep draining; ends the drain when nothing is queued.
    private func hasMore() -> Bool {
        state.withLockedValue { state in
            if state.pending.isEmpty { state.draining = false }
            return state.draining
        }
    }

    private func finish(_ batch: Batch, with result: Result<(entries: [AuditEntry], heads: [OrganizationID: AuditLog.Head]), any Error>) {
        switch result {
        case .success(let (entries, heads)):
            state.withLockedValue { $0.heads = heads }
            witness(entries.filter { $0.seq % log.checkpointInterval == 0 })
            for waiter in batch.waiters { waiter.continuation.resume() }
        case .failure(let error):
            state.withLockedValue { $0.heads = [:] }
            let refused = refusal(records: batch.waiters.reduce(0) { $0 + $1.records.count }, error)
            for waiter in batch.waiters { waiter.continuation.resume(throwing: refused) }
        }
    }

}
