import Benchmark
import Foundation
import GuardlineCore
import GuardlineServer
import GuardlineStore
import SQLKit

// Guardline's performance budgets (DESIGN.md, "Performance budgets"):
//   screen pop in process >= 20,000/s on 100,000 contacts; at saturation (a
//   concurrency sweep per path) within 1.5x of the same lookup on plain tables
//   that writes a plain access-log row with the same commit policy, and within
//   3x of one that logs nothing ("the price of compliance"); over HTTP p99 < 20 ms;
//   audit append >= 20,000/s; audit verify >= 1,000,000 entries/s; a subject
//   access export with 10,000 interactions < 1 s.
//   `Benchmarks/run` prints them side by side.

let benchmarks: @Sendable () -> Void = {
    // Each path over the same sweep, so that each is compared at its own saturation throughput.
    for concurrency in sweep {
        screenPop(concurrency: concurrency)
        plainLookup(concurrency: concurrency)
        plainLookupLogged(concurrency: concurrency)
    }
    for concurrency in [64, 8, 1] { screenPopOverHTTP(concurrency: concurrency) }
    healthOverHTTP(concurrency: 64)
    auditVerify()
    auditAppend(concurrency: 64)
    auditAppend(concurrency: 1)
    campaignListBuild()
    campaignListCount()
    redactionThroughput()
    // Calls in flight at once, as a PBX's webhooks arrive: up to a large contact center's hundreds.
    for concurrency in [256, 64, 8, 1] { ctiPop(concurrency: concurrency) }
    subjectExport()
    for kind in [RequestKind.access, .erasure] {
        for concurrency in [8, 1] { requestLifecycleOverHTTP(kind, concurrency: concurrency) }
    }
}

/// The concurrency sweep of the in-process lookups.
let sweep = [1, 8, 64, 256, 1024]

/// Per-call latency, recorded for every lookup or append of the measured iterations.
let latencyMetric = BenchmarkMetric.custom("latency (μs)", polarity: .prefersSmaller, useScalingFactor: false)

/// Every benchmark that does 1,000 calls per iteration reports calls/s as its throughput.
func perCallConfiguration(concurrency: Int, maxDuration: Duration) -> Benchmark.Configuration {
    .init(
        metrics: [.throughput, .wallClock, .cpuTotal, latencyMetric],
        tags: ["concurrency": "\(concurrency)"],
        units: [latencyMetric: .count],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: maxDuration,
        maxIterations: 100_000)
}

/// Holds what a benchmark's setup opened, for its iterations and teardown.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value {
        get throws {
            guard let value = lock.withLock({ stored }) else { throw BenchError("The benchmark setup did not run.") }
            return value
        }
    }
    func set(_ value: Value?) { lock.withLock { stored = value } }
}

/// The n-th contact to look up: a fixed pseudo-random sequence over all 100,000,
/// the same for the screen pop and the plain baseline.
func contactIndex(_ n: Int, count: Int) -> Int {
    var generator = DemoPeople.Generator(state: 0x5EED_0000 &+ UInt64(n))
    return Int(generator.next() % UInt64(min(count, lookupSet)))
}

/// For diagnosis only: `GUARDLINE_BENCH_LOOKUP_SET=N` draws the callers from the
/// first N contacts instead of all of them (noted in the summary when set).
let lookupSet: Int = ProcessInfo.processInfo.environment["GUARDLINE_BENCH_LOOKUP_SET"].flatMap { Int($0) }
    .map { max(1, $0) } ?? Int.max

func lookupSetNote(_ count: Int) -> String {
    lookupSet < count ? "callers drawn from the first \(lookupSet) contacts only (GUARDLINE_BENCH_LOOKUP_SET)" : "callers drawn from all \(count)"
}

/// Runs one iteration of `scaledIterations` calls and records it.
func measureCalls(
    _ benchmark: Benchmark, concurrency: Int, sequence: Cursor, tally: Tally,
    _ call: @escaping @Sendable (Int) async throws -> Void
) async throws {
    let calls = benchmark.scaledIterations.count
    let first = sequence.next() * calls
    let batchesBefore = AuditBatchProbe.shared.batchCount
    let (elapsed, latencies) = try await runConcurrently(operations: calls, concurrency: concurrency) { operation in
        try await call(first + operation)
    }
    benchmark.stopMeasurement()
    guard benchmark.isMeasuring else { return }
    for latency in latencies { benchmark.measurement(latencyMetric, Int(latency / 1_000)) }
    tally.add(operations: calls, elapsed: elapsed, latencies: latencies,
              auditBatches: AuditBatchProbe.shared.batchCount - batchesBefore)
}

// MARK: - Screen pop

/// The screen pop as an inbound agent gets it: caller-ID lookup by blind index
/// among 100,000 encrypted contacts, decryption of the permitted fields,
/// masking, and the audit entry committed before the view is returned.
func screenPop(concurrency: Int) {
    contactsBenchmark("ScreenPop", concurrency: concurrency, note: "encrypted contacts, inbound agent profile") { directory, n in
        let phone = directory.phones[contactIndex(n, count: directory.phones.count)]
        let views = try await directory.services.contacts.lookup(.phone(phone), by: directory.inbound, channel: "bench")
        guard views.count == 1, views[0].fields[.phone] == phone, views[0].fields[.address] != nil else {
            throw BenchError("The screen pop of caller \(n) returned \(views.count) contacts or the wrong fields.")
        }
        blackHole(views)
    }
}

// MARK: - Plain baseline

/// The same lookup on a plain table of the same SQLite database, through
/// SQLKit on the same reader connections: plaintext columns, an index on phone, the
/// row decoded into a dictionary. No encryption, no policy, no audit. (The
/// screen pop's own read skips SQLKit's row decoding, which if anything
/// favours the pop.)
func plainLookup(concurrency: Int) {
    contactsBenchmark("PlainLookup", concurrency: concurrency, note: "plaintext rows in the same SQLite database") { directory, n in
        blackHole(try await plainRow(directory, n))
    }
}

/// The plain lookup itself: the caller's row by phone, decoded into a dictionary.
func plainRow(_ directory: BenchData.Directory, _ n: Int) async throws -> [String: String] {
    let phone = directory.phones[contactIndex(n, count: directory.phones.count)]
    var query = plainSelect
    query.appendInterpolation(bind: phone)
    var contacts: [[String: String]] = []
    for row in try await directory.services.data.reads.raw(query).all() {
        var fields: [String: String] = [:]
        for column in plainColumns { fields[column] = try row.decode(column: column, as: String.self) }
        contacts.append(fields)
    }
    guard contacts.count == 1, contacts[0]["phone"] == phone else {
        throw BenchError("The plain lookup of caller \(n) returned \(contacts.count) rows.")
    }
    return contacts[0]
}

let plainColumns = ["id"] + BenchData.plainFields
let plainSelect = SQLQueryString("SELECT \(unsafeRaw: plainColumns.joined(separator: ", ")) FROM bench_plain_contact WHERE phone = ")

/// The plain lookup that also records the access, as a plain system would: one
/// autocommit INSERT per lookup into an access-log table kept in the audit trail's
/// file, so it commits with the same policy (synchronous=FULL) as the screen pop's
/// audit entry. No hash chain, no group commit, no encryption, no policy.
func plainLookupLogged(concurrency: Int) {
    contactsBenchmark(
        "PlainLookupLogged", concurrency: concurrency,
        note: "plaintext rows, plus one plain access-log INSERT per lookup in the audit file (synchronous=FULL, autocommit)"
    ) { directory, n in
        let contact = try await plainRow(directory, n)
        let id = contact["id"] ?? ""
        try await directory.services.data.sql.raw("""
            INSERT INTO audit.bench_access_log (at, actor_id, contact_id, fields)
            VALUES (\(bind: Int64(Date().timeIntervalSince1970 * 1000)), \(bind: directory.inbound.user.id.description), \(bind: id),
                    'address,birthDate:masked,email,name,phone')
            """).run()
        blackHole(contact)
    }
}

/// A benchmark of one lookup per call on a fresh copy of the 100,000 contacts.
func contactsBenchmark(
    _ name: String, concurrency: Int, note: String, lookupOnly: Bool = true,
    _ call: @escaping @Sendable (BenchData.Directory, Int) async throws -> Void
) {
    let tally = Tally(name: "\(name) (concurrency: \(concurrency))", unit: "lookups")
    let shared = Shared<(directory: BenchData.Directory, path: String)>()
    let sequence = Cursor()
    Benchmark(
        name, configuration: perCallConfiguration(concurrency: concurrency, maxDuration: .seconds(8))
    ) { benchmark in
        let directory = try shared.value.directory
        try await measureCalls(benchmark, concurrency: concurrency, sequence: sequence, tally: tally) { n in try await call(directory, n) }
    } setup: {
        let (directory, path) = try await BenchData.openContacts(copyName: name.lowercased(), lookupOnly: lookupOnly)
        try await directory.services.data.sql.raw("""
            CREATE TABLE IF NOT EXISTS audit.bench_access_log (at BIGINT NOT NULL, actor_id TEXT NOT NULL, contact_id TEXT NOT NULL, fields TEXT NOT NULL)
            """).run()
        shared.set((directory, path))
        tally.note("per-user contact rate limit off (GUARDLINE_CONTACT_RATE_LIMIT=0; the default is 600 a minute)")
        if lookupOnly { tally.note("the inbound agent's profile without need-to-know: the lookup alone (CtiPop measures the call-bound path)") }
        tally.note("\(directory.phones.count) \(note)")
        tally.note(lookupSetNote(directory.phones.count))
    } teardown: {
        if let opened = try? shared.value {
            try await opened.directory.services.shutdown()
            BenchData.remove(opened.path)
        }
        try tally.write()
    }
}

// MARK: - Audit

/// `guardline audit verify` on a chain of 1,000,000 entries: every link
/// rehashed, the head and every signed checkpoint checked.
func auditVerify() {
    let tally = Tally(name: "AuditVerify", unit: "entries")
    let shared = Shared<(services: GuardlineServices, org: OrganizationID)>()
    Benchmark(
        "AuditVerify",
        configuration: .init(
            // Per entry (scaled by 1M); the tool's throughput metric rounds to 0 iterations/s here, see Benchmarks/run.
            metrics: [.wallClock, .cpuTotal], warmupIterations: 1, scalingFactor: .mega,
            maxDuration: .seconds(40), maxIterations: 5)
    ) { benchmark in
        let (services, org) = try shared.value
        let clock = ContinuousClock()
        let began = clock.now
        let report = try await services.verification.verify(org: org)
        let elapsed = began.duration(to: clock.now)
        benchmark.stopMeasurement()
        guard report.intact, report.checked == Int64(BenchData.auditEntryCount) else {
            throw BenchError("Verify checked \(report.checked) entries, intact: \(report.intact), failure: \(String(describing: report.failure)).")
        }
        if benchmark.isMeasuring {
            tally.add(operations: Int(report.checked), elapsed: elapsed, latencies: [elapsed.nanoseconds])
        }
    } setup: {
        try await BenchData.ensureAuditChain()
        // Read-only: verification runs on the cached chain itself.
        let services = try await BenchData.open(BenchData.auditTemplate)
        guard let org = try await services.organizations.find(named: BenchData.organizationName) else {
            try await services.shutdown()
            throw BenchError("The cached audit chain has no organization; delete \(BenchData.root) to reseed.")
        }
        shared.set((services, org.id))
        tally.note("\(BenchData.auditEntryCount) entries, checkpoint every 1000, latency = one whole verify")
    } teardown: {
        if let opened = try? shared.value { try await opened.services.shutdown() }
        try tally.write()
    }
}

/// The audit writer under concurrent appenders (the budget is for 64), one
/// record each call: every call returns once its entry is committed (group commit).
func auditAppend(concurrency: Int) {
    let tally = Tally(name: "AuditAppend (concurrency: \(concurrency))", unit: "appends")
    let shared = Shared<(services: GuardlineServices, org: OrganizationID, path: String)>()
    let sequence = Cursor()
    let actor = UserID.make().description
    let contacts = (0..<1_000).map { _ in ContactID.make() }
    Benchmark(
        "AuditAppend", configuration: perCallConfiguration(concurrency: concurrency, maxDuration: .seconds(concurrency > 1 ? 10 : 5))
    ) { benchmark in
        let (services, org, _) = try shared.value
        try await measureCalls(benchmark, concurrency: concurrency, sequence: sequence, tally: tally) { n in
            try await services.audit.append(AuditRecord(
                orgID: org, at: Date(), actorKind: .user, actorID: actor, action: "contact.lookup",
                contactID: contacts[n % contacts.count], fields: ["address", "birthDate:masked", "email", "name", "phone"],
                context: "bench lookup by phone"))
        }
    } setup: {
        let path = try BenchData.scratchDirectory("append\(concurrency)")
        let services = try await BenchData.open(path)
        let org = try await services.organizations.create(name: BenchData.organizationName, clock: services.clock)
        shared.set((services, org.id, path))
        tally.note("fresh SQLite database, one record per call")
    } teardown: {
        if let opened = try? shared.value {
            try await opened.services.shutdown()
            BenchData.remove(opened.path)
        }
        try tally.write()
    }
}
