import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Checks an organization's whole chain: every link, the recorded head, and
/// every signed checkpoint against the entry it pins.
public struct AuditVerification: Sendable {
    public struct Report: Sendable {
        public var intact: Bool
        public var checked: Int64
        public var failure: ChainVerifier.Failure?
        public var lastCheckpointSeq: Int64?
    }

    let log: AuditLog
    let signer: CheckpointSigner
    let witness: AuditWitness?

    public init(log: AuditLog, signer: CheckpointSigner, witness: AuditWitness?) {
        self.log = log
        self.signer = signer
        self.witness = witness
    }

    public func verify(org: OrganizationID) async throws -> Report {
        // The head first: appends made while the chain is walked are not taken for a broken end.
        let headBefore = try await log.head(org: org)
        let checkpoints = try await log.checkpoints(org: org)
        let witnessed = try witness?.latest(org: org)
        // The signatures are checked beside the chain walk; they are reported only if the chain holds.
        let signer = self.signer
        async let forged = checkpoints.first { !signer.verify($0.signature, org: org, seq: $0.seq, hash: $0.hash) }
        var pins = Set(checkpoints.map(\.seq))
        if let headBefore { pins.insert(headBefore.seq) }
        if let witnessed { pins.insert(witnessed.seq) }
        var verifier = ChainVerifier(pinning: pins)
        try await log.verify(org: org, into: &verifier)
        verifier.finish(headBefore: headBefore, after: try await log.head(org: org))
        var failure = verifier.failure
        if failure == nil, let witnessed {
            // The witness lives outside the database: deleting the last entries and resetting
            // the head there still leaves the chain short of, or different from, what it signed.
            if !signer.verify(witnessed.signature, org: org, seq: witnessed.seq, hash: witnessed.hash) {
                failure = .init(seq: witnessed.seq, problem: "the witnessed checkpoint at this entry does not verify (the witness file was altered)")
            } else if verifier.checked < witnessed.seq {
                failure = .init(seq: verifier.checked + 1,
                                problem: "the witness holds a signed checkpoint at entry \(witnessed.seq), but the chain ends at \(verifier.checked): its last entries were removed")
            } else if verifier.pinned[witnessed.seq] != witnessed.hash {
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
        return Report(intact: failure == nil, checked: verifier.checked, failure: failure, lastCheckpointSeq: checkpoints.last?.seq)
    }
}
