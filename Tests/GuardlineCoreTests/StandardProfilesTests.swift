import GuardlineCore
import Testing

/// The profiles a new organization starts with, checked against the GDPR brief's examples.
@Suite("StandardProfiles (Art25, Art5_1_c, Art9)")
struct StandardProfilesTests {
    let catalog = FieldCatalog.standard

    private func decide(_ template: StandardProfiles.Template, _ field: FieldKey) -> AccessPolicy.Decision {
        AccessPolicy.decide(Fixture.profile(template), field: field, catalog: catalog)
    }

    @Test("Art5_1_c: outbound sales sees the phone and nothing else")
    func outboundSalesSeesOnlyPhone() {
        #expect(decide(StandardProfiles.outboundSales, .phone) == .visible)
        #expect(!AccessPolicy.permits(.edit, Fixture.profile(StandardProfiles.outboundSales), field: .phone, catalog: catalog))
        for key in catalog.keys where key != .phone {
            #expect(decide(StandardProfiles.outboundSales, key) == .hidden, "\(key)")
        }
        // It dials campaigns and records the answers to the consent questions it asks, and does nothing else.
        #expect(StandardProfiles.outboundSales.capabilities == [.recordConsent, .dialCampaigns])
    }

    @Test("Art5_1_c: inbound support sees name, phone, email and address in clear")
    func inboundSupportSeesContactDetails() {
        let profile = Fixture.profile(StandardProfiles.inboundSupport)
        for key: FieldKey in [.name, .phone, .email, .address] {
            #expect(AccessPolicy.permits(.read, profile, field: key, catalog: catalog), "\(key)")
        }
        #expect(decide(StandardProfiles.inboundSupport, .birthDate) == .masked(.redacted))
        #expect(decide(StandardProfiles.inboundSupport, "accountNumber") == .masked(.lastDigits))
        #expect(decide(StandardProfiles.inboundSupport, "healthNotes") == .hidden)
    }

    @Test("Art9: health notes are flagged as a special category in the standard catalog")
    func healthNotesIsSpecialCategory() {
        #expect(catalog["healthNotes"]?.specialCategory == true)
        #expect(catalog.fields.filter(\.specialCategory).map(\.key) == ["healthNotes"])
    }

    @Test("Art9: special-category fields are hidden under every standard profile")
    func specialCategoryHiddenByDefault() {
        let profiles = StandardProfiles.all(orgID: Fixture.org, at: Fixture.date)
        let special = catalog.fields.filter(\.specialCategory).map(\.key)
        #expect(!special.isEmpty)
        for profile in profiles {
            for key in special {
                #expect(AccessPolicy.decide(profile, field: key, catalog: catalog) == .hidden, "\(profile.name) sees \(key)")
            }
        }
    }

    @Test("Art9: a special category shows only where the profile names it and holds the capability")
    func specialCategoryNeedsCapability() {
        let named = Fixture.profile(["healthNotes": .visible])
        #expect(AccessPolicy.decide(named, field: "healthNotes", catalog: catalog) == .hidden)
        let capable = Fixture.profile(["healthNotes": .visible], capabilities: [.specialCategories])
        #expect(AccessPolicy.decide(capable, field: "healthNotes", catalog: catalog) == .visible)
        let capableButUnnamed = Fixture.profile([.name: .visible], capabilities: [.specialCategories])
        #expect(AccessPolicy.decide(capableButUnnamed, field: "healthNotes", catalog: catalog) == .hidden)
    }

    @Test("Art25: administration configures Guardline without seeing customer data")
    func administrationSeesNoData() {
        for key in catalog.keys {
            #expect(decide(StandardProfiles.administration, key) == .hidden, "\(key)")
        }
        #expect(StandardProfiles.administration.capabilities == [.manageUsers, .manageProfiles, .manageCatalog])
    }

    @Test("Art25: supervision sees contact details masked and edits nothing")
    func supervisionIsMaskedAndReadOnly() {
        let profile = Fixture.profile(StandardProfiles.supervision)
        #expect(decide(StandardProfiles.supervision, .phone) == .masked(.lastDigits))
        #expect(decide(StandardProfiles.supervision, .email) == .masked(.partialEmail))
        for key in catalog.keys {
            #expect(!AccessPolicy.permits(.edit, profile, field: key, catalog: catalog), "\(key)")
        }
    }

    @Test("Data Protection sees and edits every catalog field but the special categories")
    func dataProtectionSeesAll() {
        for field in catalog.fields where !field.specialCategory {
            #expect(decide(StandardProfiles.dataProtection, field.key) == .editable, "\(field.key)")
        }
    }

    @Test("A new organization gets the five profiles, each its own id, all in that organization")
    func allProfiles() {
        let profiles = StandardProfiles.all(orgID: Fixture.org, at: Fixture.date)
        #expect(profiles.map(\.name) == ["Inbound Support", "Outbound Sales", "Supervision", "Data Protection", "Administration"])
        #expect(Set(profiles.map(\.id)).count == profiles.count)
        #expect(profiles.allSatisfy { $0.orgID == Fixture.org && $0.createdAt == Fixture.date && $0.updatedAt == Fixture.date })
    }
}
