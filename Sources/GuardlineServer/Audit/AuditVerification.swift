import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import NIOConcurrencyHelpers

/// Checks an organization's chain: every link, the recorded head, every signed
/// checkpoint against the entry it pins, and the latest witnessed checkpoint.
/// `verify(org:)` walks the whole chain (`guardline audit verify`); the audit page
/// and the API's verify ask `verify(org:incremental: true)`, which goes on from the
/// last position this process verified intact, once it checks that entry is unchanged.
public struct AuditVerification: Sendable {
    public struct Report: Sendable {
        public var intact: Bool
        public var checked: Int64
        public var failure: ChainVerifier.Failure?
        public var lastCheckpointSeq: Int64?
        /// Entries walked by this verification (all of them, unless it went on from an earlier one).
        public var walked: Int64
    }

    let log: AuditLog
    let signer: CheckpointSigner
    let witness: AuditWitness?
    /// Where each organization's chain was last verified intact: its position and hash.
    private let progress = NIOLockedValueBox<[OrganizationID: (seq: Int64, hash: [UInt8])]>([:])

    public init(log: AuditLog, signer: CheckpointSigner, witness: AuditWitness?) {
        self.log = log
        self.signer = signer
        self.witness = witness
    }

    public func verify(org: OrganizationID, incremental: Bool = false) async throws -> Report {
        // The head first: appends made while the chain is walked are not taken for a broken end.
        let headBefore = try await log.head(org: org)
        // Going on from the last entry verified intact: that entry is walked again (from the
        // link it stores), and must hash as it did then, or everything is walked.
        var start: (seq: Int64, previous: [UInt8], hash: [UInt8])?
        if incremental, let known = progress.withLockedValue({ $0[org] }) {
            // This process saw that entry intact: if it is gone or different now, that is the finding,
            // whatever a walk of the rewritten chain would say (its hashes are not keyed).
            guard known.seq <= (headBefore?.seq ?? 0), let stored = try await log.hashes(org: org, seq: known.seq),
                  stored.hash == known.hash
            else { return changedSinceVerified(org, known.seq) }
            start = (known.seq, stored.previous, known.hash)
        }
        let after = start.map { $0.seq - 1 } ?? 0
        let allCheckpoints = try await log.checkpoints(org: org)
        let checkpoints = allCheckpoints.filter { $0.seq > after }
        let witnessed = try witness?.latest(org: org)
        // The signatures are checked beside the chain walk; they are reported only if the chain holds.
        let signer = self.signer
        async let forged = checkpoints.first { !signer.verify($0.signature, org: org, seq: $0.seq, hash: $0.hash) }
        var pins = Set(checkpoints.map(\.seq))
        if let headBefore { pins.insert(headBefore.seq) }
        if let witnessed { pins.insert(witnessed.seq) }
        if let start { pins.insert(start.seq) }
        var verifier = start.map { ChainVerifier(continuingAfter: $0.seq - 1, hash: $0.previous, pinning: pins) } ?? ChainVerifier(pinning: pins)
        try await log.verify(org: org, after: after, into: &verifier)
        verifier.finish(headBefore: headBefore, after: try await log.head(org: org))
        if let start, verifier.failure == nil, verifier.pinned[start.seq] != start.hash {
            return changedSinceVerified(org, start.seq)
        }
        // A witnessed checkpoint at or before where this verification started: its entry, read directly.
        var witnessedHash = witnessed.flatMap { verifier.pinned[$0.seq] }
        if let witnessed, witnessed.seq <= after { witnessedHash = try await log.hashes(org: org, seq: witnessed.seq)?.hash }
        var failure = verifier.failure
        if failure == nil, let witnessed {
            // The witness lives outside the database: deleting the last entries and resetting
            // the head there still leaves the chain short of, or different from, what it signed.
            if !signer.verify(witnessed.signature, org: org, seq: witnessed.seq, hash: witnessed.hash) {
                failure = .init(seq: witnessed.seq, problem: "the witnessed checkpoint at this entry does not verify (the witness file was altered)")
            } else if verifier.checked < witnessed.seq {
                failure = .init(seq: verifier.checked + 1,
                                problem: "the witness holds a signed checkpoint at entry \(witnessed.seq), but the chain ends at \(verifier.checked): its last entries were removed")
            } else if witnessedHash != witnessed.hash {
                failure = .init(seq: witnessed.seq, problem: "the entry differs from the checkpoint the witness holds for it")
            }
        }
        if failure == nil, let checkpoint = await forged {
            failure = .init(seq: checkpoint.seq, problem: "the signed checkpoint at this entry does not verify (forged or altered)")
        }
        if failure == nil, let last = checkpoints.last, last.seq > verifier.checked {
            failure = .init(seq: verifier.checked + 1, problem: "a signed checkpoint pins entry \(last.seq) but the chain ends before it")
        }
        if failure == nil {
            // A checkpoint's hash must equal the verified hash of the entry it pins.
            for checkpoint in checkpoints where verifier.pinned[checkpoint.seq] != checkpoint.hash {
                failure = .init(seq: checkpoint.seq, problem: "the entry differs from what its signed checkpoint recorded")
                break
            }
        }
        let lastCheckpoint = allCheckpoints.last?.seq
        // Each checkpoint is witnessed as it commits, by the one process that writes the chain on
        // SQLite (on PostgreSQL several servers share it, each with a witness of its own). A witness
        // more than one checkpoint behind the ones read before the walk lost writes or was cut; it is
        // read again here, so a batch whose witness line was being written meanwhile is not taken for that.
        if failure == nil, log.hasSingleWriter, let last = lastCheckpoint, let latest = try witness?.latest(org: org),
           last > latest.seq + log.checkpointInterval {
            failure = .init(seq: latest.seq + log.checkpointInterval,
                            problem: "the database holds a signed checkpoint at entry \(last), but the witness's latest is at \(latest.seq): the witness file lost entries or was cut")
        }
        if failure == nil, verifier.checked > 0 {
            let end = (seq: verifier.checked, hash: verifier.lastHash)
            progress.withLockedValue { $0[org] = end }
        } else if failure != nil {
            progress.withLockedValue { $0[org] = nil }
        }
        return Report(intact: failure == nil, checked: verifier.checked, failure: failure, lastCheckpointSeq: lastCheckpoint,
                      walked: verifier.checked - after)
    }

    /// The entry this process last verified intact is missing or no longer the same.
    /// It stays the finding (the remembered position is kept) until the server restarts.
    private func changedSinceVerified(_ org: OrganizationID, _ seq: Int64) -> Report {
        Report(
            intact: false, checked: seq - 1,
            failure: .init(seq: seq, problem: "the entry is missing or differs from when this server last verified it intact"),
            lastCheckpointSeq: nil, walked: 0)
    }
}
