import Foundation

/// What an erasure removed, in words that name no one: the receipt the audit chain keeps
/// (Art. 5(2), 17). Its text is canonical, so the signature beside it can be checked with
/// the audit signing key's public half long after the person is gone.
public struct ErasureReceipt: Sendable, Equatable {
    public var org: OrganizationID
    public var contact: ContactID
    public var at: Date
    /// What was removed, by kind (fields, interactions...), as counts.
    public var removed: [(kind: String, count: Int)]
    /// Fields a hold kept (`ErasureHold`), and the holds' grounds: the key then stays with them.
    public var kept: [String]
    public var holds: [String]

    public init(org: OrganizationID, contact: ContactID, at: Date, removed: [(kind: String, count: Int)], kept: [String] = [], holds: [String] = []) {
        self.org = org
        self.contact = contact
        self.at = at
        self.removed = removed
        self.kept = kept
        self.holds = holds
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text == rhs.text }

    /// The signed text: a version, the ids, the time, each count, and that the key is gone.
    public var text: String {
        let counts = removed.map { "\($0.kind)=\($0.count)" }.joined(separator: " ")
        let key = kept.isEmpty ? "key=destroyed" : "kept=\(kept.joined(separator: ",")) holds=\(holds.joined(separator: ",")) key=kept"
        return "guardline-erasure-receipt/1 org=\(org) contact=\(contact) at=\(Int64((at.timeIntervalSince1970 * 1000).rounded())) \(counts) \(key)"
    }

    /// The audit entry's context: the text and its signature, in hex.
    public func context(signature: [UInt8]) -> String { "\(text) sig=\(signature.hex)" }
}
