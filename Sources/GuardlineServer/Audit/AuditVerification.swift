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

    public init(log: AuditLog, signer: CheckpointSigner) {
        self.log = log
        self.signer = signer
    }

    public func verify(org: OrganizationID) async throws -> Report {
        let checkpoints = try await log.checkpoints(org: org)
        // The signatures are checked beside the chain walk; they are reported only if the chain holds.
        let signer = self.signer
        async let forged = checkpoints.first { !signer.verify($0.signature, org: org, seq: $0.seq, hash: $0.hash) }
        var verifier = ChainVerifier(pinning: Set(checkpoints.map(\.seq)))
        try await log.verify(org: org, into: &verifier)
        verifier.finish(expectedHead: try await log.head(org: org))
        var failure = verifier.failure
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
