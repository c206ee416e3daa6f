/// Walks a chain in order and stops at the first entry that does not fit.
/// Feed entries in ascending `seq`; each `check` costs one SHA-256.
public struct ChainVerifier: Sendable {
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public let seq: Int64
        public let problem: String
        public var description: String { "entry \(seq): \(problem)" }

        public init(seq: Int64, problem: String) {
            self.seq = seq
            self.problem = problem
        }
    }

    public private(set) var checked: Int64 = 0
    public private(set) var failure: Failure?
    /// The verified hashes at the positions asked for (signed checkpoints), so
    /// they can be compared without reading those entries again.
    public private(set) var pinned: [Int64: [UInt8]] = [:]
    private let pins: Set<Int64>
    private var expectedSeq: Int64 = 1
    private var previous = AuditChain.genesis

    public init(pinning pins: Set<Int64> = []) { self.pins = pins }

    public var lastHash: [UInt8] { previous }

    /// Returns false once the chain is broken; later calls do nothing.
    @discardableResult
    public mutating func check(_ entry: AuditEntry) -> Bool {
        guard failure == nil else { return false }
        if entry.seq != expectedSeq {
            let problem = entry.seq > expectedSeq
                ? "entries \(expectedSeq)...\(entry.seq - 1) are missing"
                : "out of order (expected \(expectedSeq))"
            failure = Failure(seq: min(entry.seq, expectedSeq), problem: problem)
            return false
        }
        if entry.previousHash != previous {
            failure = Failure(seq: entry.seq, problem: "does not link to the entry before it (reordered or the previous entry was replaced)")
            return false
        }
        let recomputed = AuditChain.hash(seq: entry.seq, record: entry.record, previous: previous)
        if recomputed != entry.hash {
            failure = Failure(seq: entry.seq, problem: "content was altered (hash mismatch)")
            return false
        }
        previous = entry.hash
        if pins.contains(entry.seq) { pinned[entry.seq] = entry.hash }
        expectedSeq += 1
        checked += 1
        return true
    }

    /// Checks the end of the chain against the recorded head, which catches a truncated tail.
    public mutating func finish(expectedHead: (seq: Int64, hash: [UInt8])?) {
        guard failure == nil, let head = expectedHead else { return }
        if head.seq != expectedSeq - 1 || head.hash != previous {
            failure = Failure(seq: expectedSeq, problem: "the chain does not end at its recorded head (entry \(head.seq)): entries were removed from the end or rewritten")
        }
    }
}
