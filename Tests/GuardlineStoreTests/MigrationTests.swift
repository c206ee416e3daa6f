import GuardlineCore
import GuardlineStore
import GuardlineTestSupport
import Testing

@Suite("Migrations") struct MigrationTests {
    @Test("migrations apply once and are idempotent", arguments: TestDatabase.engines)
    func idempotent(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let data = try await Migrator.data(fixture.data).run()
            let keys = try await Migrator.keys(fixture.keys).run()
            #expect(data.isEmpty)
            #expect(keys.isEmpty)
        }
    }

    @Test("a new organization starts with the standard catalog, purposes and profiles (Art30)", arguments: TestDatabase.engines)
    func standardCatalog(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let catalog = try await CatalogStore(fixture.data).fields(org: fixture.orgA.id)
            #expect(catalog.keys == StandardCatalog.fields.map(\.key))
            #expect(catalog[.phone]?.category == "user.contact.phone")
            #expect(catalog["healthNotes"]?.specialCategory == true)
            let purposes = try await CatalogStore(fixture.data).purposes(org: fixture.orgA.id)
            #expect(Set(purposes.map(\.key)) == Set(StandardCatalog.purposes.map(\.key)))
            #expect(purposes.first { $0.key == "outbound_marketing" }?.lawfulBasis == .consent)
            let profiles = try await ProfileStore(fixture.data).all(org: fixture.orgA.id)
            let outbound = try #require(profiles.first { $0.name == "Outbound Sales" })
            #expect(outbound.fields == [.phone: .visible])
        }
    }

    @Test("the catalog refuses a duplicate field key with a conflict", arguments: TestDatabase.engines)
    func duplicateField(engine: TestDatabase.Engine) async throws {
        try await StoreFixture.with(engine) { fixture in
            let store = CatalogStore(fixture.data)
            let field = DataField(key: "loyaltyTier", label: "Loyalty tier", category: "user.account", specialCategory: false, purposes: [])
            try await store.addField(field, org: fixture.orgA.id)
            await #expect { try await store.addField(field, org: fixture.orgA.id) } throws: { ($0 as? GuardlineError)?.code == .conflict }
            // Another organization has its own catalog.
            try await store.addField(field, org: fixture.orgB.id)
            #expect(try await store.fields(org: fixture.orgB.id).contains("loyaltyTier"))
        }
    }
}
