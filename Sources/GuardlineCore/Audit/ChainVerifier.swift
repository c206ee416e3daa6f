import Crypto
import Foundation

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
    /// The positions to pin, ascending, and the first not yet passed.
    private let pins: [Int64]
    private var nextPin = 0
    private var expectedSeq: Int64 = 1
    private var previous = AuditChain.genesis
    /// Reused for every entry's encoding.
    private var scratch: [UInt8] = []

    /// Where a later segment starts (its first entry's seq and stored previous hash), unchecked until `append`.
    private var anchor: (seq: Int64, previous: [UInt8])?
    private var anchored = true

    public init(pinning pins: Set<Int64> = []) { self.pins = pins.sorted() }

    /// Resumes after entry `seq`, verified earlier with `hash`: the next entry must link
    /// to it. Counts those `seq` entries as checked.
    public init(continuingAfter seq: Int64, hash: [UInt8], pinning pins: Set<Int64> = []) {
        self.pins = pins.sorted()
        expectedSeq = seq + 1
        previous = hash
        checked = seq
    }

    /// A verifier for a later part of the same chain, to run beside this one: it
    /// takes its first entry's position and link as found, and `append(_:)` then
    /// checks that the part continues exactly where this one ended.
    public func laterSegment() -> ChainVerifier {
        var segment = ChainVerifier(pinning: Set(pins))
        segment.anchored = false
        return segment
    }

    /// Continues this chain with a later segment verified on its own: its first
    /// entry must follow this one's last, position and hash; then its result
    /// counts as if its entries had been checked here.
    public mutating func append(_ later: ChainVerifier) {
        guard failure == nil else { return }
        guard let anchor = later.anchor else {
            failure = later.failure
            return
        }
        if anchor.seq != expectedSeq {
            failure = gap(at: anchor.seq)
            return
        }
        if anchor.previous != previous {
            failure = Failure(seq: anchor.seq, problem: Self.unlinked)
            return
        }
        failure = later.failure
        checked += later.checked
        expectedSeq = later.expectedSeq
        previous = later.previous
        pinned.merge(later.pinned) { first, _ in first }
    }

    public var lastHash: [UInt8] { previous }

    /// Returns false once the chain is broken; later calls do nothing.
    @discardableResult
    public mutating func check(_ entry: AuditEntry) -> Bool {
        check(seq: entry.seq, previousHash: entry.previousHash, hash: entry.hash) { previous, buffer in
            AuditChain.digest(seq: entry.seq, record: entry.record, previous: previous, buffer: &buffer)
        }
    }

    /// An entry as stored: its columns' bytes, borrowed from the row being read, so
    /// a long chain is verified without building a record per entry. Text is hashed
    /// exactly as stored; a rewritten id or kind no longer matches its hash.
    public struct StoredEntry {
        public var seq: Int64
        public var atMillis: Int64
        public var actorKind: UnsafeRawBufferPointer
        public var actorID: UnsafeRawBufferPointer?
        public var action: UnsafeRawBufferPointer
        public var contactID: UnsafeRawBufferPointer?
        /// Field names joined by commas, as the audit table keeps them.
        public var fields: UnsafeRawBufferPointer
        public var context: UnsafeRawBufferPointer?
        public var previousHash: UnsafeRawBufferPointer
        public var hash: UnsafeRawBufferPointer

        public init(
            seq: Int64, atMillis: Int64, actorKind: UnsafeRawBufferPointer, actorID: UnsafeRawBufferPointer?,
            action: UnsafeRawBufferPointer, contactID: UnsafeRawBufferPointer?, fields: UnsafeRawBufferPointer,
            context: UnsafeRawBufferPointer?, previousHash: UnsafeRawBufferPointer, hash: UnsafeRawBufferPointer
        ) {
            self.seq = seq
            self.atMillis = atMillis
            self.actorKind = actorKind
            self.actorID = actorID
            self.action = action
            self.contactID = contactID
            self.fields = fields
            self.context = context
            self.previousHash = previousHash
            self.hash = hash
        }
    }

    /// Checks a stored entry of the organization whose id is `org` (lowercase text).
    @discardableResult
    public mutating func check(_ entry: StoredEntry, org: UnsafeRawBufferPointer) -> Bool {
        check(seq: entry.seq, previousHash: entry.previousHash, hash: entry.hash) { previous, buffer in
            let fields = StoredFieldList(entry.fields)
            let (count, bytes) = fields.measure()
            return AuditChain.digest(
                seq: entry.seq, org: org, atMillis: entry.atMillis, actorKind: entry.actorKind, actorID: entry.actorID,
                action: entry.action, contact: entry.contactID, fields: fields, fieldCount: count, fieldBytes: bytes,
                context: entry.context, previous: previous, buffer: &buffer)
        }
    }

    private mutating func check(
        seq: Int64, previousHash: some Collection<UInt8>, hash: some Collection<UInt8>,
        recompute: (_ previous: [UInt8], _ buffer: inout [UInt8]) -> SHA256.Digest
    ) -> Bool {
        guard failure == nil else { return false }
        if !anchored, anchor == nil {
            anchor = (seq, Array(previousHash))
            expectedSeq = seq
            previous = Array(previousHash)
        }
        if seq != expectedSeq {
            failure = gap(at: seq)
            return false
        }
        if !sameBytes(previousHash, previous) {
            failure = Failure(seq: seq, problem: Self.unlinked)
            return false
        }
        let recomputed = recompute(previous, &scratch)
        if !recomputed.withUnsafeBytes({ sameBytes($0, hash) }) {
            failure = Failure(seq: seq, problem: "content was altered (hash mismatch)")
            return false
        }
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: hash)
        // Entries arrive in order: the next pin is the only one that can match.
        while nextPin < pins.count, pins[nextPin] < seq { nextPin += 1 }
        if nextPin < pins.count, pins[nextPin] == seq {
            pinned[seq] = previous
            nextPin += 1
        }
        expectedSeq += 1
        checked += 1
        return true
    }

    private static let unlinked = "does not link to the entry before it (reordered or the previous entry was replaced)"

    /// The entry at `seq` arrived where `expectedSeq` was due.
    private func gap(at seq: Int64) -> Failure {
        let problem = seq > expectedSeq ? "entries \(expectedSeq)...\(seq - 1) are missing" : "out of order (expected \(expectedSeq))"
        return Failure(seq: min(seq, expectedSeq), problem: problem)
    }

    /// Checks the end of the chain against the recorded head, which catches a truncated tail.
    public mutating func finish(expectedHead: (seq: Int64, hash: [UInt8])?) {
        guard failure == nil, let head = expectedHead else { return }
        if head.seq != expectedSeq - 1 || head.hash != previous {
            failure = Failure(seq: expectedSeq, problem: "the chain does not end at its recorded head (entry \(head.seq)): entries were removed from the end or rewritten")
        }
    }

    /// `finish` for a chain that others append to while it is walked: `before` is the
    /// head read before the walk (pinned, so its entry's hash is known), `after` the head
    /// read once it ended. Entries appended meanwhile may or may not have been walked;
    /// the walk must still reach `before`, match it, and not run past `after`.
    public mutating func finish(headBefore before: (seq: Int64, hash: [UInt8])?, after: (seq: Int64, hash: [UInt8])?) {
        guard failure == nil else { return }
        let end = expectedSeq - 1
        if let after, end >= after.seq {
            finish(expectedHead: after)
            return
        }
        guard let before else { return }
        if end < before.seq || pinned[before.seq] != before.hash {
            failure = Failure(seq: min(end + 1, before.seq), problem: "the chain does not reach its recorded head (entry \(before.seq)): entries were removed from the end or rewritten")
        }
    }
}

/// The field names of a stored entry, read in place from their comma-joined
/// text; empty names are skipped, as `split(separator:)` does on the record side.
struct StoredFieldList: Sequence {
    let text: UnsafeRawBufferPointer

    init(_ text: UnsafeRawBufferPointer) { self.text = text }

    /// How many names, and their total length.
    func measure() -> (count: Int, bytes: Int) {
        var count = 0
        var bytes = 0
        var inName = false
        for byte in text {
            if byte == UInt8(ascii: ",") {
                inName = false
            } else {
                bytes += 1
                if !inName {
                    inName = true
                    count += 1
                }
            }
        }
        return (count, bytes)
    }

    func makeIterator() -> Iterator { Iterator(text: text) }

    struct Iterator: IteratorProtocol {
        let text: UnsafeRawBufferPointer
        var position = 0

        mutating func next() -> UnsafeRawBufferPointer? {
            while position < text.count, text[position] == UInt8(ascii: ",") { position += 1 }
            guard position < text.count else { return nil }
            let start = position
            while position < text.count, text[position] != UInt8(ascii: ",") { position += 1 }
            return UnsafeRawBufferPointer(rebasing: text[start..<position])
        }
    }
}

/// Byte equality with one `memcmp` when both sides are contiguous (hashes, 32 bytes, once or twice per entry).
func sameBytes(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    let count = a.count
    guard count == b.count else { return false }
    guard count > 0 else { return true }
    let result = a.withContiguousStorageIfAvailable { a in
        b.withContiguousStorageIfAvailable { b in memcmp(a.baseAddress!, b.baseAddress!, count) == 0 }
    }
    return (result ?? nil) ?? a.elementsEqual(b)
}
