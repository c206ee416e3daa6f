import Foundation
import GuardlineCore

/// A small audit trail for the chain tests: records one second apart.
enum AuditFixture {
    static func record(_ index: Int) -> AuditRecord {
        AuditRecord(
            orgID: Fixture.org, at: Fixture.date.addingTimeInterval(Double(index)), actorKind: .user,
            actorID: "user-\(index % 3)", action: index.isMultiple(of: 2) ? "contact.read" : "contact.lookup",
            contactID: Fixture.contact, fields: ["name", "phone:masked"], context: "lookup:phone")
    }

    static func records(_ count: Int) -> [AuditRecord] { (1...count).map(record) }

    /// `count` entries linked from genesis, seq 1...count.
    static func chain(_ count: Int) -> [AuditEntry] {
        AuditChain.link(records(count), after: (seq: 0, hash: AuditChain.genesis))
    }

    static func head(of entries: [AuditEntry]) -> (seq: Int64, hash: [UInt8])? {
        entries.last.map { ($0.seq, $0.hash) }
    }

    /// Runs a verifier over `entries` and finishes it against `head`.
    static func verify(_ entries: [AuditEntry], head: (seq: Int64, hash: [UInt8])?) -> ChainVerifier {
        var verifier = ChainVerifier()
        for entry in entries { verifier.check(entry) }
        verifier.finish(expectedHead: head)
        return verifier
    }
}
