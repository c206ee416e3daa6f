import Foundation
import GuardlineCore
import Testing

/// A list build and an offer-time check both decide a contact by `ExclusionReason.first`:
/// the first reason that applies is the one counted, and only a standing grant is consent.
@Suite("The exclusion order of a campaign list") struct ExclusionOrderTests {
    static let lawful = ListFacts(erased: false, restricted: false, objected: false, latest: .granted, reachable: true, suppressed: false)

    func with(_ change: (inout ListFacts) -> Void) -> ListFacts {
        var facts = Self.lawful
        change(&facts)
        return facts
    }

    @Test("each fact alone excludes for its own reason")
    func single() {
        #expect(ExclusionReason.first(of: Self.lawful, consentBasis: true) == nil)
        #expect(ExclusionReason.first(of: with { $0.erased = true }, consentBasis: true) == .erased)
        #expect(ExclusionReason.first(of: with { $0.restricted = true }, consentBasis: true) == .restricted)
        #expect(ExclusionReason.first(of: with { $0.objected = true }, consentBasis: true) == .objection)
        #expect(ExclusionReason.first(of: with { $0.reachable = false }, consentBasis: true) == .unreachable)
        #expect(ExclusionReason.first(of: with { $0.suppressed = true }, consentBasis: true) == .suppressed)
        for decision in [ConsentDecision.refused, .withdrawn, nil] {
            #expect(ExclusionReason.first(of: with { $0.latest = decision }, consentBasis: true) == .noLawfulBasis)
        }
    }

    @Test("when several apply, the earlier reason wins: erased, restricted, objection, basis, unreachable, suppressed")
    func order() {
        var facts = ListFacts(erased: true, restricted: true, objected: true, latest: .withdrawn, reachable: false, suppressed: true)
        var seen: [ExclusionReason] = []
        while let reason = ExclusionReason.first(of: facts, consentBasis: true) {
            seen.append(reason)
            switch reason {
            case .erased: facts.erased = false
            case .restricted: facts.restricted = false
            case .objection: facts.objected = false
            case .noLawfulBasis: facts.latest = .granted
            case .unreachable: facts.reachable = true
            case .suppressed: facts.suppressed = false
            }
        }
        #expect(seen == [.erased, .restricted, .objection, .noLawfulBasis, .unreachable, .suppressed])
    }

    @Test("on another basis no decision is needed, but a refusal or withdrawal stands as an objection")
    func otherBasis() {
        #expect(ExclusionReason.first(of: with { $0.latest = nil }, consentBasis: false) == nil)
        #expect(ExclusionReason.first(of: with { $0.latest = .granted }, consentBasis: false) == nil)
        #expect(ExclusionReason.first(of: with { $0.latest = .refused }, consentBasis: false) == .objection)
        #expect(ExclusionReason.first(of: with { $0.latest = .withdrawn; $0.suppressed = true }, consentBasis: false) == .objection)
    }
}
