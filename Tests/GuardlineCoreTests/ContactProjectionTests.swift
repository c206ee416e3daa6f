import GuardlineCore
import Testing

/// Only the fields a person may see are decrypted, masked ones leave masked,
/// and the audit trail names fields but never values (Art25, Art5_1_c, Art30).
@Suite("ContactProjection (Art25, Art5_1_c)")
struct ContactProjectionTests {
    let catalog = FieldCatalog.standard
    let stored: [FieldKey: String] = [
        .name: "Maria Silva",
        .phone: "+351912345789",
        .email: "maria.silva@example.pt",
        .address: "Rua Augusta 1, Lisboa",
        .birthDate: "1980-04-02",
        "healthNotes": "Asthma",
        "legacyField": "from the old CRM",
    ]

    private func view(_ template: StandardProfiles.Template) -> (ContactProjection, ContactView) {
        let projection = ContactProjection(profile: Fixture.profile(template), catalog: catalog, storedFields: Array(stored.keys))
        let values = stored.filter { projection.fieldsToOpen.contains($0.key) }
        let view = projection.view(id: Fixture.contact, values: values, createdAt: Fixture.date, updatedAt: Fixture.date)
        return (projection, view)
    }

    @Test("Art25: hidden and unknown fields are never opened")
    func fieldsToOpenExcludeHidden() {
        let (projection, _) = view(StandardProfiles.supervision)
        #expect(projection.fieldsToOpen == [.email, .name, .phone])
        let (sales, _) = view(StandardProfiles.outboundSales)
        #expect(sales.fieldsToOpen == [.phone])
        let (admin, _) = view(StandardProfiles.administration)
        #expect(admin.fieldsToOpen.isEmpty)
    }

    @Test("Art25: building a view asks for the values of exactly the fields to open, redacted and hidden ones never",
          arguments: [StandardProfiles.inboundSupport, StandardProfiles.supervision, StandardProfiles.administration].map(\.name))
    func viewAsksOnlyForOpenedFields(profile name: String) throws {
        let template = try #require([StandardProfiles.inboundSupport, StandardProfiles.supervision, StandardProfiles.administration]
            .first { $0.name == name })
        let projection = ContactProjection(profile: Fixture.profile(template), catalog: catalog, storedFields: Array(stored.keys))
        var asked: [FieldKey] = []
        let view = projection.view(id: Fixture.contact, createdAt: Fixture.date, updatedAt: Fixture.date) { field in
            asked.append(field)
            return stored[field]
        }
        #expect(asked == projection.fieldsToOpen)
        #expect(projection.opensAnyField == !asked.isEmpty)
        #expect(view == projection.view(id: Fixture.contact, values: stored, createdAt: Fixture.date, updatedAt: Fixture.date))
    }

    @Test("Art25: fields are opened only if stored, even if the profile allows more")
    func opensOnlyStoredFields() {
        let projection = ContactProjection(
            profile: Fixture.profile(StandardProfiles.inboundSupport), catalog: catalog, storedFields: [FieldKey.phone])
        #expect(projection.fieldsToOpen == [.phone])
    }

    @Test("Art25: masked fields are masked, clear ones clear, hidden ones absent")
    func viewMasks() {
        let (_, view) = view(StandardProfiles.supervision)
        #expect(view.fields == [
            .name: "Maria Silva",
            .phone: "+351 *** *** 789",
            .email: "m***@example.pt",
        ])
        #expect(view.masked == [.email, .phone])
        #expect(view.editable.isEmpty)
        #expect(view.id == Fixture.contact)
    }

    @Test("Editable fields are listed as such")
    func viewListsEditable() {
        let (_, view) = view(StandardProfiles.inboundSupport)
        #expect(view.editable == [.address, .email, .name, .phone])
        #expect(view.masked == [.birthDate])
        #expect(view.fields[.birthDate] == "[redacted]")
        #expect(view.fields["healthNotes"] == nil)
        #expect(view.fields["legacyField"] == nil)
    }

    @Test("Art25: a value handed in for a hidden field does not reach the view")
    func ignoresValuesOfHiddenFields() {
        let projection = ContactProjection(
            profile: Fixture.profile(StandardProfiles.outboundSales), catalog: catalog, storedFields: Array(stored.keys))
        let view = projection.view(id: Fixture.contact, values: stored, createdAt: Fixture.date, updatedAt: Fixture.date)
        #expect(view.fields == [.phone: "+351912345789"])
        #expect(view.auditedFields == ["phone"])
    }

    @Test("A field whose value could not be opened is left out")
    func skipsMissingValues() {
        let projection = ContactProjection(
            profile: Fixture.profile(StandardProfiles.supervision), catalog: catalog, storedFields: Array(stored.keys))
        let view = projection.view(id: Fixture.contact, values: [.name: "Maria Silva"], createdAt: Fixture.date, updatedAt: Fixture.date)
        #expect(view.fields == [.name: "Maria Silva"])
        #expect(view.masked.isEmpty)
    }

    @Test("Art30: audited fields name the fields seen, marking masked ones, never their values")
    func auditedFieldsAreNames() {
        let (_, view) = view(StandardProfiles.supervision)
        #expect(view.auditedFields == ["email:masked", "name", "phone:masked"])
        for value in stored.values {
            #expect(!view.auditedFields.contains { $0.contains(value) })
        }
        for masked in view.fields.values {
            #expect(!view.auditedFields.contains(masked))
        }
    }
}
