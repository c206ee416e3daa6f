import GuardlineCore
import Testing

/// Deny by default: a field is shown only if the catalog knows it and the profile names it (Art25).
@Suite("AccessPolicy (Art25)")
struct AccessPolicyTests {
    let catalog = FieldCatalog.standard

    @Test("Art25: a field the catalog does not know is hidden even if the profile lists it")
    func unknownToCatalogIsHidden() {
        let profile = Fixture.profile(["favouriteColour": .editable, .phone: .editable])
        #expect(AccessPolicy.decide(profile, field: "favouriteColour", catalog: catalog) == .hidden)
        #expect(!AccessPolicy.permits(.read, profile, field: "favouriteColour", catalog: catalog))
        #expect(!AccessPolicy.permits(.edit, profile, field: "favouriteColour", catalog: catalog))
    }

    @Test("Art25: a field removed from the catalog becomes hidden for profiles that still list it")
    func removedFromCatalogIsHidden() {
        let reduced = FieldCatalog(StandardCatalog.fields.filter { $0.key != .email })
        let profile = Fixture.profile([.email: .editable, .phone: .editable])
        #expect(AccessPolicy.decide(profile, field: .email, catalog: reduced) == .hidden)
        #expect(AccessPolicy.decide(profile, field: .phone, catalog: reduced) == .editable)
    }

    @Test("Art25: a catalog field the profile does not name is hidden")
    func absentFromProfileIsHidden() {
        let profile = Fixture.profile([.phone: .visible])
        for key in catalog.keys where key != .phone {
            #expect(AccessPolicy.decide(profile, field: key, catalog: catalog) == .hidden, "\(key)")
        }
    }

    @Test("Art25: a profile with no rules sees nothing and may do nothing")
    func denyAll() {
        let profile = AccessProfile.denyAll(orgID: Fixture.org)
        #expect(profile.capabilities.isEmpty)
        for key in catalog.keys {
            #expect(AccessPolicy.decide(profile, field: key, catalog: catalog) == .hidden, "\(key)")
        }
    }

    @Test("Each rule maps to its decision")
    func decisions() {
        let profile = Fixture.profile([
            .name: .visible, .phone: .masked(.lastDigits), .email: .masked(.partialEmail),
            .address: .editable, .birthDate: .hidden,
        ])
        #expect(AccessPolicy.decide(profile, field: .name, catalog: catalog) == .visible)
        #expect(AccessPolicy.decide(profile, field: .phone, catalog: catalog) == .masked(.lastDigits))
        #expect(AccessPolicy.decide(profile, field: .email, catalog: catalog) == .masked(.partialEmail))
        #expect(AccessPolicy.decide(profile, field: .address, catalog: catalog) == .editable)
        #expect(AccessPolicy.decide(profile, field: .birthDate, catalog: catalog) == .hidden)
    }

    @Test("A masked rule without a format is fully redacted")
    func maskedDefaultsToRedacted() {
        let profile = Fixture.profile([.name: FieldRule(access: .masked)])
        #expect(AccessPolicy.decide(profile, field: .name, catalog: catalog) == .masked(.redacted))
    }

    @Test("Art25: reading in clear needs visible or editable; editing needs editable", arguments: [
        (FieldRule.hidden, false, false),
        (.masked(.lastDigits), false, false),
        (.visible, true, false),
        (.editable, true, true),
    ])
    func permits(rule: FieldRule, read: Bool, edit: Bool) {
        let profile = Fixture.profile([.phone: rule])
        #expect(AccessPolicy.permits(.read, profile, field: .phone, catalog: catalog) == read)
        #expect(AccessPolicy.permits(.edit, profile, field: .phone, catalog: catalog) == edit)
    }

    @Test("Art5_1_c: hidden and fully redacted fields are never decrypted; partial masks need the value")
    func needsValue() {
        #expect(!AccessPolicy.Decision.hidden.needsValue)
        #expect(!AccessPolicy.Decision.masked(.redacted).needsValue)
        #expect(AccessPolicy.Decision.masked(.lastDigits).needsValue)
        #expect(AccessPolicy.Decision.masked(.initials).needsValue)
        #expect(AccessPolicy.Decision.visible.needsValue)
        #expect(AccessPolicy.Decision.editable.needsValue)
    }

    @Test("Field access levels are ordered hidden < masked < visible < editable")
    func accessOrder() {
        #expect(FieldAccess.allCases.sorted() == [.hidden, .masked, .visible, .editable])
        #expect(FieldAccess.masked < .visible)
        #expect(!(FieldAccess.editable < .hidden))
    }
}
