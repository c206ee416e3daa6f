import Foundation
import GuardlineCore
import Testing

@testable import GuardlineStore

/// A list build walks sorted arrays of facts beside the contacts; whatever order the
/// facts and the stages arrive in, it must decide every contact as the rule does alone.
@Suite("List build classification") struct ListClassificationTests {
    @Test("a contact key orders, parses and converts as the id's canonical text does")
    func keys() throws {
        let ids = (0..<500).map { _ in ContactID(UUID()) } + [try #require(ContactID("00000000-0000-7000-8000-000000000000"))]
        for id in ids {
            #expect(ContactKey(id).id == id)
            #expect(ContactKey(id.description) == ContactKey(id))
            #expect(ContactKey(id.description.uppercased()) == ContactKey(id))
        }
        #expect(ids.map(ContactKey.init).sorted().map(\.id.description) == ids.map(\.description).sorted())
        for bad in ["", "00000000-0000-7000-8000-00000000000", "00000000-0000-7000-8000-00000000000g", "00000000+0000-7000-8000-000000000000",
                    "000000000-000-7000-8000-000000000000", "00000000-0000-7000-8000-0000000000000"] {
            #expect(ContactKey(bad) == nil, "\(bad)")
        }
    }

    /// SplitMix64: the same seed gives the same run, so a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("facts in any order and contacts in several stage runs give what the rule gives contact by contact",
          arguments: [(true, UInt64(1)), (false, 2), (true, 3), (false, 4)])
    func matchesTheRule(consentBasis: Bool, seed: UInt64) {
        var generator = Seeded(state: seed)
        func key() -> ContactKey { ContactKey(high: generator.next(), low: generator.next()) }
        let contacts = (0..<2_000).map { _ in key() }
        // Facts also name contacts the campaign does not target (other stages): the walk steps over them.
        let others = (0..<500).map { _ in key() }
        var truth: [ContactKey: (facts: ListFacts, listed: Bool)] = [:]
        var sets = FactSets(consentBasis: consentBasis)
        var events: [(ContactKey, ConsentDecision?)] = []
        for contact in contacts {
            let history: [ConsentDecision?] = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                Int.random(in: 0..<10, using: &generator) == 0 ? nil : ConsentDecision.allCases.randomElement(using: &generator)!
            }
            let facts = ListFacts(
                erased: Int.random(in: 0..<20, using: &generator) == 0, restricted: Int.random(in: 0..<20, using: &generator) == 0,
                objected: Int.random(in: 0..<10, using: &generator) == 0, latest: history.last ?? nil,
                reachable: Int.random(in: 0..<10, using: &generator) != 0, suppressed: Int.random(in: 0..<10, using: &generator) == 0)
            let listed = Int.random(in: 0..<15, using: &generator) == 0
            truth[contact] = (facts, listed)
            if listed { sets.listed.append(contact) }
            if facts.objected { sets.objected.append(contact) }
            // A contact's decisions keep their ledger order; contacts arrive in any order.
            events.append(contentsOf: history.map { (contact, $0) })
            if facts.reachable { sets.reachable.append(contact); if Bool.random(using: &generator) { sets.reachable.append(contact) } }
            if facts.suppressed, facts.reachable { sets.suppressed.append(contact) }
            if facts.suppressed, !facts.reachable { truth[contact]?.facts.suppressed = false }
        }
        for other in others {
            sets.listed.append(other)
            sets.objected.append(other)
            sets.reachable.append(other)
            sets.suppressed.append(other)
            events.append((other, .refused))
        }
        // Grouped by contact in a shuffled contact order, each contact's own events still in order.
        let order = Dictionary(uniqueKeysWithValues: (contacts + others).shuffled(using: &generator).enumerated().map { ($1, $0) })
        for (contact, decision) in events.enumerated().sorted(by: { (order[$0.element.0]!, $0.offset) < (order[$1.element.0]!, $1.offset) }).map(\.element) {
            sets.decision(contact, decision)
        }
        sets.listed.shuffle(using: &generator)
        sets.reachable.shuffle(using: &generator)
        sets.suppressed.shuffle(using: &generator)
        // Three stages, each read in id order.
        let stages = Dictionary(grouping: contacts) { _ in Int.random(in: 0..<3, using: &generator) }
        for stage in stages.keys.sorted() {
            for contact in stages[stage]!.sorted() {
                let facts = truth[contact]!.facts
                sets.classify(contact, erased: facts.erased, restricted: facts.restricted)
            }
        }

        var expected = Classification.Outcome()
        for contact in contacts.sorted() where !truth[contact]!.listed {
            if let reason = ExclusionReason.first(of: truth[contact]!.facts, consentBasis: consentBasis) {
                expected.excluded[reason, default: 0] += 1
            } else {
                expected.included.append(contact.id)
            }
        }
        let outcome = sets.outcome
        #expect(outcome.included == expected.included)
        #expect(outcome.excluded == expected.excluded)
        #expect(outcome.included.count + outcome.excluded.values.reduce(0, +) == contacts.count - truth.values.filter(\.listed).count)
    }
}
