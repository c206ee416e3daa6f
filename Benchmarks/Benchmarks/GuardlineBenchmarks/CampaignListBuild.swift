import Benchmark
import Foundation
import GuardlineCore
import GuardlineServer
import GuardlineStore
import SQLKit

// Budget (DESIGN.md): a campaign call list from 1,000,000 contacts, with consent,
// restriction and suppression filters, in under 2 s on SQLite. Quoted against a
// plain SQL count of the same contacts over the same tables, in the same run.

/// The data set: 1,000,000 contacts (sealed-field blobs of a realistic size, so the
/// table is as large as a real one), one phone index term each (2% have none), five
/// consent purposes with about 4.3 million ledger events (grants, refusals, later
/// withdrawals), 1% objections, 1% restricted, 1% erased, and a 100,000-entry
/// suppression list of which half are numbers held.
enum CampaignData {
    static let contacts = 1_000_000
    static let suppressions = 100_000
    static let purposes = ["outbound_marketing", "call_recording", "email_marketing", "profiling", "partner_offers"]
    static var template: String { "\(BenchData.root)/campaign-\(BenchData.version)-3" }

    static func ensure() async throws {
        try await BenchData.ensure(template) { directory in
            let started = ContinuousClock.now
            BenchData.note("Seeding \(contacts) contacts, their consent ledger and \(suppressions) suppressions into \(directory) (once)…")
            let services = try await BenchData.open(directory)
            do {
                try await seed(services)
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
            BenchData.note("Seeded the campaign data set in \(started.duration(to: .now)).")
        }
    }

    private static func seed(_ services: GuardlineServices) async throws {
        let org = try await services.organizations.create(name: BenchData.organizationName, clock: services.clock)
        for key in purposes where !StandardCatalog.purposes.contains(where: { $0.key == key }) {
            try await services.catalog.addPurpose(Purpose(
                key: key, name: key, description: "Benchmark purpose \(key).", lawfulBasis: .consent, retentionDays: 365), org: org.id)
        }
        let sql = services.data.sql
        let o = org.id.description
        // Ids sort like the seeder's v7 ids: by number.
        let id = "printf('%08x-0000-7000-8000-%012x', i, i)"
        try await services.data.transaction { db in
            try await db.raw("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(literal: contacts))
                INSERT INTO contact (id, org_id, sealed_fields, created_at, updated_at, ref, stage, erased_at, restricted_at)
                SELECT \(unsafeRaw: id), \(bind: o), CASE WHEN i % 100 = 7 THEN x'' ELSE randomblob(240) END, i, i, i,
                       CASE i % 10 WHEN 0 THEN 'prospect' WHEN 1 THEN 'former_customer' WHEN 2 THEN 'lead' ELSE 'customer' END,
                       CASE WHEN i % 100 = 7 THEN i END, CASE WHEN i % 100 = 40 THEN i END
                FROM n
                """).run()
            try await db.raw("""
                INSERT INTO contact_index (org_id, kind, hash, contact_id)
                SELECT org_id, 'phone', randomblob(32), id FROM contact WHERE org_id = \(bind: o) AND ref % 50 <> 3 AND erased_at IS NULL
                """).run()
            try await db.raw("""
                INSERT INTO contact_index (org_id, kind, hash, contact_id)
                SELECT org_id, 'email', randomblob(32), id FROM contact WHERE org_id = \(bind: o) AND ref % 4 <> 1 AND erased_at IS NULL
                """).run()
            // For each purpose, 70% decided: mostly grants, some refusals; a tenth of the grants withdrawn later.
            for (p, purpose) in purposes.enumerated() {
                for (step, decision, test) in [
                    (0, "granted", "(ref + \(p)) % 10 < 5"), (0, "refused", "(ref + \(p)) % 10 IN (5, 6)"), (1, "withdrawn", "(ref + \(p)) % 10 = 4"),
                ] {
                    try await db.raw("""
                        INSERT INTO consent_event (id, org_id, contact_id, purpose, channel, decision, source, at)
                        SELECT printf('%08x-%04x-7%03x-8000-%012x', (ref * 10 + \(literal: step)) >> 16, (ref * 10 + \(literal: step)) & 65535, \(literal: p), ref),
                               org_id, id,
                               \(bind: purpose), 'phone', \(bind: decision), 'import', ref * 10 + \(literal: step)
                        FROM contact WHERE org_id = \(bind: o) AND \(unsafeRaw: test)
                        """).run()
                }
            }
            try await db.raw("""
                INSERT INTO objection (org_id, contact_id, purpose, at) SELECT org_id, id, 'outbound_marketing', 0
                FROM contact WHERE org_id = \(bind: o) AND ref % 100 = 13
                """).run()
            // Half the list: numbers held (every 20th contact's, ones that consented, so the reason counts);
            // half: numbers of people not held. Erased, restricted, objecting, unreachable and suppressed
            // contacts are each drawn from the targeted ones with a grant, so each reason's count shows.
            try await db.raw("""
                INSERT INTO suppression (org_id, kind, hash, source, added_at)
                SELECT i.org_id, i.kind, i.hash, 'import', 0 FROM contact_index i JOIN contact c ON c.id = i.contact_id
                WHERE i.org_id = \(bind: o) AND i.kind = 'phone' AND c.ref % 20 = 10 LIMIT \(literal: suppressions / 2)
                """).run()
            try await db.raw("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(literal: suppressions / 2))
                INSERT INTO suppression (org_id, kind, hash, source, added_at) SELECT \(bind: o), 'phone', randomblob(32), 'import', 0 FROM n
                """).run()
        }
        // The synthetic contacts hold random bytes, not fields under a key. The key store gets one placeholder
        // so that start-up (which refuses contacts beside an empty key store: the wrong one) opens the copies.
        guard let first = ContactID("00000001-0000-7000-8000-000000000001") else { throw BenchError("Bad synthetic id.") }
        try await SubjectKeyVault(services.keys).put([UInt8](repeating: 0, count: 60), contact: first, org: org.id, at: Date())
        try await sql.raw("ANALYZE").run()
        let held = try await sql.raw("SELECT COUNT(*) AS n FROM suppression").first()?.decode(column: "n", as: Int.self) ?? 0
        let events = try await sql.raw("SELECT COUNT(*) AS n FROM consent_event").first()?.decode(column: "n", as: Int.self) ?? 0
        guard held == suppressions else { throw BenchError("Seeded \(held) suppressions, not \(suppressions).") }
        BenchData.note("\(events) consent events seeded.")
    }

    /// A campaign like a supervisor's: marketing calls to customers and prospects.
    static func campaign(org: OrganizationID) -> Campaign {
        Campaign(
            id: .make(), orgID: org, name: "Benchmark", purpose: "outbound_marketing", lawfulBasis: .consent, channel: .phone, stages: ["customer", "prospect"],
            hours: .standard, timeZone: "Europe/Lisbon", maxAttempts: 3, createdBy: nil, createdAt: Date())
    }
}

/// Builds a new campaign's list (classify every targeted contact, write the list, count the reasons), once per iteration.
func campaignListBuild() {
    campaignBenchmark("CampaignListBuild", note: "new campaign each iteration: every targeted contact classified and written, counts per reason") { store, org in
        let campaign = CampaignData.campaign(org: org)
        try await CampaignStore(store).insert(campaign)
        let build = try await CampaignStore(store).build(campaign, at: Date(), by: nil)
        guard build.included > 100_000, build.excluded.values.reduce(0, +) > 100_000 else {
            throw BenchError("The build listed \(build.included) and excluded \(build.excluded).")
        }
        return "included \(build.included); excluded " + build.counts.map { "\($0.reason.rawValue) \($0.count)" }.joined(separator: ", ")
    }
}

/// The baseline: a plain SQL count of the same contacts with the same filters, writing nothing.
func campaignListCount() {
    campaignBenchmark("CampaignListCount", note: "plain SQL COUNT(*) of the contacts the build would list, same tables and filters") { store, org in
        let count = try await store.sql.raw("""
            SELECT COUNT(*) AS n FROM contact c
            WHERE c.org_id = \(bind: org.description) AND c.stage IN ('customer', 'prospect') AND c.erased_at IS NULL AND c.restricted_at IS NULL
            AND c.id NOT IN (SELECT contact_id FROM objection WHERE org_id = \(bind: org.description) AND purpose = 'outbound_marketing')
            AND c.id IN (SELECT contact_id FROM (
                SELECT contact_id, decision, MAX(id) FROM consent_event
                WHERE org_id = \(bind: org.description) AND purpose = 'outbound_marketing' AND channel = 'phone' GROUP BY contact_id)
                WHERE decision = 'granted')
            AND c.id IN (SELECT contact_id FROM contact_index WHERE org_id = \(bind: org.description) AND kind = 'phone')
            AND c.id NOT IN (SELECT i.contact_id FROM suppression s JOIN contact_index i ON i.org_id = s.org_id AND i.kind = s.kind AND i.hash = s.hash
                             WHERE s.org_id = \(bind: org.description) AND s.kind = 'phone')
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        guard count > 100_000 else { throw BenchError("The plain count found \(count).") }
        return "counted \(count)"
    }
}

private func campaignBenchmark(
    _ name: String, note: String, _ call: @escaping @Sendable (SQLStore, OrganizationID) async throws -> String
) {
    let tally = Tally(name: name, unit: "builds")
    let shared = Shared<(services: GuardlineServices, org: OrganizationID, path: String)>()
    Benchmark(name, configuration: .init(metrics: [.wallClock, .cpuTotal], warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 5)) { benchmark in
        let (services, org, _) = try shared.value
        let clock = ContinuousClock()
        let began = clock.now
        let result = try await call(services.data, org)
        let elapsed = began.duration(to: clock.now)
        benchmark.stopMeasurement()
        if benchmark.isMeasuring {
            tally.add(operations: 1, elapsed: elapsed, latencies: [elapsed.nanoseconds])
            tally.note(result)
        }
    } setup: {
        try await CampaignData.ensure()
        let path = try BenchData.workingCopy(of: CampaignData.template, name: name.lowercased())
        let services = try await BenchData.open(path)
        guard let org = try await services.organizations.find(named: BenchData.organizationName) else {
            try await services.shutdown()
            throw BenchError("The campaign data set has no organization; delete \(CampaignData.template) to reseed.")
        }
        shared.set((services, org.id, path))
        tally.note("\(CampaignData.contacts) contacts, \(CampaignData.purposes.count) consent purposes, \(CampaignData.suppressions) suppressions; \(note)")
    } teardown: {
        if let opened = try? shared.value {
            try await opened.services.shutdown()
            BenchData.remove(opened.path)
        }
        try tally.write()
    }
}
