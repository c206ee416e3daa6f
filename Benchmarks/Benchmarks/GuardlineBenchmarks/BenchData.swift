import Foundation
import GuardlineCore
import GuardlineServer
import GuardlineStore
import Logging
import SQLKit

/// The data sets the benchmarks run on, seeded once through the public API
/// and cached under `Benchmarks/.benchmarkData/` (delete it to reseed).
///
/// Each benchmark runs in a process of its own (that is how the benchmark
/// tool works), so every process opens the cached data again; benchmarks
/// that write work on a fresh copy, so every run starts from the same state.
enum BenchData {
    /// Bump when the seeded content or layout changes, so stale caches are not reused.
    static let version = "v2"
    static let contactCount = 100_000
    static let auditEntryCount = 1_000_000
    static let auditBatchSize = 5_000
    static let organizationName = "Guardline Benchmark"

    static let logger: Logger = {
        var logger = Logger(label: "guardline.benchmarks")
        logger.logLevel = .warning
        return logger
    }()

    /// `Benchmarks/.benchmarkData`, found from this source file; `GUARDLINE_BENCH_DATA` overrides it.
    static let root: String = {
        if let path = ProcessInfo.processInfo.environment["GUARDLINE_BENCH_DATA"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // GuardlineBenchmarks
            .deletingLastPathComponent() // Benchmarks (targets)
            .deletingLastPathComponent() // Benchmarks (package)
            .appendingPathComponent(".benchmarkData").path
    }()

    static var contactsTemplate: String { "\(root)/contacts-\(contactCount)-\(version)" }
    static var auditTemplate: String { "\(root)/audit-\(auditEntryCount)-\(version)" }
    static var work: String { "\(root)/work" }
    static var results: String { "\(root)/results" }

    static func open(_ directory: String) async throws -> GuardlineServices {
        AuditBatchProbe.install()
        // The per-user contact rate limit (600 a minute by default) would cap the one agent
        // every call here acts for: it is off, and the summary says so.
        return try await GuardlineServices.open(
            ServerConfiguration(dataDirectory: directory, passwordCost: 4, contactRequestsPerMinute: 0), logger: logger)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("[guardline-benchmarks] \(message)\n".utf8))
    }

    // MARK: Working copies

    /// A fresh copy of a cached data directory for one benchmark process.
    static func workingCopy(of template: String, name: String) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let target = "\(work)/\(name)-\(ProcessInfo.processInfo.processIdentifier)"
        if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
        try fm.copyItem(atPath: template, toPath: target)
        return target
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func scratchDirectory(_ name: String) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let target = "\(work)/\(name)-\(ProcessInfo.processInfo.processIdentifier)"
        if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
        return target
    }

    /// Seeds into `<dir>.partial` and renames it when complete, so an interrupted seed is never reused.
    /// A cached data set is reused only while the schema that Guardline's migrations create is
    /// the one it was seeded with; any change to the migrations reseeds it.
    static func ensure(_ directory: String, seed: (String) async throws -> Void) async throws {
        let fm = FileManager.default
        let schema = try await currentSchema()
        if let seeded = try? String(contentsOfFile: "\(directory)/schema", encoding: .utf8), seeded == schema { return }
        if fm.fileExists(atPath: directory) { note("\(directory) was seeded with another schema or not completely: reseeding.") }
        let partial = directory + ".partial"
        if fm.fileExists(atPath: partial) { try fm.removeItem(atPath: partial) }
        if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
        try fm.createDirectory(atPath: partial, withIntermediateDirectories: true)
        try await seed(partial)
        try Data(schema.utf8).write(to: URL(fileURLWithPath: "\(partial)/schema"))
        try fm.moveItem(atPath: partial, toPath: directory)
    }

    /// The schema (data, its audit trail and the key store) that the migrations create in an empty data directory.
    static func currentSchema() async throws -> String {
        let directory = try scratchDirectory("schema")
        defer { remove(directory) }
        let services = try await open(directory)
        do {
            var lines: [String] = []
            for (label, store, schema) in [("data", services.data, "main"), ("audit", services.data, "audit"), ("keys", services.keys, "main")] {
                let query = SQLQueryString("SELECT type, name, sql FROM \(unsafeRaw: schema).sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
                for row in try await store.sql.raw(query).all() {
                    lines.append("\(label) \(try row.decode(column: "sql", as: String.self))")
                }
            }
            try await services.shutdown()
            return lines.joined(separator: "\n") + "\n"
        } catch {
            try? await services.shutdown()
            throw error
        }
    }

    // MARK: 100,000 contacts

    /// The organization, its people and what the benchmarks look up, read from an opened copy.
    struct Directory: Sendable {
        let services: GuardlineServices
        let org: OrganizationID
        let inbound: Principal
        /// E.164 phones of all contacts, in seeding order.
        let phones: [String]
    }

    /// The demo people's fields, as columns of the plain baseline table (all of them, so both sides hold the same data).
    static let plainFields = ["name", "phone", "email", "address", "birthDate", "language"]

    static func ensureContacts() async throws {
        try await ensure(contactsTemplate) { directory in
            let started = ContinuousClock.now
            note("Seeding \(contactCount) contacts into \(directory) (once; cached for later runs)…")
            let services = try await open(directory)
            do {
                try await seedContacts(services)
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
            note("Seeded \(contactCount) contacts in \(started.duration(to: .now)).")
        }
    }

    private static func seedContacts(_ services: GuardlineServices) async throws {
        let clock = services.clock
        let org = try await services.organizations.create(name: organizationName, clock: clock)
        let profiles = Dictionary(uniqueKeysWithValues: try await services.profiles.all(org: org.id).map { ($0.name, $0) })
        guard let dataProtection = profiles["Data Protection"], let inboundSupport = profiles["Inbound Support"] else {
            throw BenchError("The standard access profiles are missing: \(profiles.keys.sorted())")
        }
        let passwordHash = try await services.passwords.hash("benchmark accounts are not for signing in")
        let dpo = StaffUser(
            id: .make(at: clock.now), orgID: org.id, email: "dpo@bench.test", name: "Dana Bench", role: .dpo,
            teamID: nil, profileID: dataProtection.id, disabled: false, createdAt: clock.now)
        let inbound = StaffUser(
            id: .make(at: clock.now), orgID: org.id, email: "inbound@bench.test", name: "Ines Bench", role: .agent,
            teamID: nil, profileID: inboundSupport.id, disabled: false, createdAt: clock.now)
        try await services.users.create(dpo, passwordHash: passwordHash)
        try await services.users.create(inbound, passwordHash: passwordHash)
        let importer = Principal(
            user: dpo, authorization: Authorization(role: .dpo, profile: dataProtection, scopes: nil), credential: .session)

        // Encrypted contacts, through the directory as the DPO would import them.
        let people = DemoPeople.make(count: contactCount, seed: 2016_04_27)
        let workers = 16
        let cursor = Cursor()
        let ids = try await withThrowingTaskGroup(of: [(Int, ContactID)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var made: [(Int, ContactID)] = []
                    while true {
                        let index = cursor.next()
                        guard index < people.count else { break }
                        let view = try await services.contacts.create(people[index], stage: "customer", by: importer)
                        made.append((index, view.id))
                        if (index + 1) % 10_000 == 0 { note("  \(index + 1) contacts") }
                    }
                    return made
                }
            }
            var ids = [ContactID?](repeating: nil, count: people.count)
            for try await made in group { for (index, id) in made { ids[index] = id } }
            return ids.map { $0! }
        }

        // The baseline: the same people in a plain table of the same database, indexed on phone.
        let sql = services.data.sql
        let columns = plainFields.map { "\($0) TEXT NOT NULL" }.joined(separator: ", ")
        try await sql.raw(SQLQueryString("CREATE TABLE bench_plain_contact (id TEXT PRIMARY KEY, \(unsafeRaw: columns))")).run()
        try await sql.raw("CREATE INDEX bench_plain_contact_phone ON bench_plain_contact (phone)").run()
        for start in stride(from: 0, to: people.count, by: 2_000) {
            let range = start..<min(start + 2_000, people.count)
            try await services.data.transaction { db in
                for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 500) {
                    var insert = db.insert(into: "bench_plain_contact").columns(["id"] + plainFields)
                    for index in chunk..<min(chunk + 500, range.upperBound) {
                        let person = people[index]
                        insert = insert.values([SQLBind(ids[index].description)] + plainFields.map { SQLBind(person[$0, default: ""]) })
                    }
                    try await insert.run()
                }
            }
        }
        try await sql.raw("ANALYZE").run()
    }

    /// Opens a fresh copy of the 100,000 contacts for one benchmark process. `lookupOnly`: the
    /// inbound agent's profile opens contacts without need-to-know, so that a bare lookup is
    /// the screen pop (the path the lookup budgets were set on); `CtiPop` keeps it bound to the call.
    static func openContacts(copyName: String, lookupOnly: Bool = true) async throws -> (Directory, String) {
        try await ensureContacts()
        let directory = try workingCopy(of: contactsTemplate, name: copyName)
        let services = try await open(directory)
        do {
            if lookupOnly {
                try await services.data.sql.raw("UPDATE access_profile SET context_rule = 'none' WHERE name = 'Inbound Support'").run()
            }
            guard let org = try await services.organizations.find(named: organizationName) else {
                throw BenchError("The cached data set has no organization '\(organizationName)'; delete \(root) to reseed.")
            }
            let profiles = try await services.profiles.all(org: org.id)
            let users = try await services.users.all(org: org.id)
            guard let user = users.first(where: { $0.email == "inbound@bench.test" }),
                  let profile = profiles.first(where: { $0.id == user.profileID })
            else { throw BenchError("The cached data set has no inbound agent; delete \(root) to reseed.") }
            let inbound = Principal(
                user: user, authorization: Authorization(role: user.role, profile: profile, scopes: nil), credential: .session)
            let phones = try await services.data.sql.raw("SELECT phone FROM bench_plain_contact ORDER BY rowid").all()
                .map { try $0.decode(column: "phone", as: String.self) }
            guard phones.count == contactCount else {
                throw BenchError("The cached data set holds \(phones.count) plain contacts, not \(contactCount); delete \(root) to reseed.")
            }
            return (Directory(services: services, org: org.id, inbound: inbound, phones: phones), directory)
        } catch {
            try? await services.shutdown()
            remove(directory)
            throw error
        }
    }

    // MARK: 1,000,000 audit entries

    static func ensureAuditChain() async throws {
        try await ensure(auditTemplate) { directory in
            let started = ContinuousClock.now
            note("Appending \(auditEntryCount) audit entries into \(directory) (once; cached for later runs)…")
            let services = try await open(directory)
            do {
                let org = try await services.organizations.create(name: organizationName, clock: services.clock)
                let actors = (0..<40).map { _ in UserID.make().description }
                let contacts = (0..<5_000).map { _ in ContactID.make() }
                let start = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01
                var random = DemoPeople.Generator(state: 1_000_000)
                var appended = 0
                while appended < auditEntryCount {
                    let count = min(auditBatchSize, auditEntryCount - appended)
                    let records = (0..<count).map { offset in
                        let n = appended + offset
                        return AuditRecord(
                            orgID: org.id, at: start.addingTimeInterval(Double(n) * 0.05), actorKind: .user,
                            actorID: actors[Int(random.next() % UInt64(actors.count))], action: "contact.lookup",
                            contactID: contacts[Int(random.next() % UInt64(contacts.count))],
                            fields: ["address", "birthDate:masked", "email", "name", "phone"],
                            context: "bench lookup by phone")
                    }
                    try await services.auditLog.append(records, sign: checkpointSigner(services))
                    appended += count
                    if appended % 100_000 == 0 { note("  \(appended) entries") }
                }
            } catch {
                try? await services.shutdown()
                throw error
            }
            try await services.shutdown()
            note("Appended \(auditEntryCount) audit entries in \(started.duration(to: .now)).")
        }
    }

    static func checkpointSigner(_ services: GuardlineServices) -> AuditLog.Sign {
        let signer = services.ring.checkpointSigner
        return { org, seq, hash in (try signer.sign(org: org, seq: seq, hash: hash), signer.publicKey) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
