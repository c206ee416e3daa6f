import Benchmark
import Foundation
import GuardlineCore
import GuardlineServer
import NIOCore
import NIOHTTP1

// Budget (issue 12): an access request and an erasure request end to end over HTTP (filed,
// verified, fulfilled, completed) for a subject with 10 interactions among 100,000 contacts,
// each at most 50 ms median; at least 100 requests per second on 2 cores; the process under
// 150 MB resident meanwhile.

/// A data subject request's whole life as the data protection team's tools drive it over the
/// API: `POST /requests` (filed from a letter), `POST /requests/{id}/verify` (an identity
/// document seen) and `POST /requests/{id}/fulfil`, checked to answer `completed`. An erasure
/// is approved by a second member of the team (four eyes) and destroys the person's key, rows
/// and interactions, with its signed receipt. Each subject has 10 interactions (sealed, as the
/// API logs them) and is asked about once.
func requestLifecycleOverHTTP(_ kind: RequestKind, concurrency: Int) {
    let name = "RequestLifecycleHTTP.\(kind.rawValue)"
    let tally = Tally(name: "\(name) (concurrency: \(concurrency))", unit: "requests")
    let shared = Shared<Lifecycle>()
    let batch = 100
    let iterations = 8
    Benchmark(
        name,
        configuration: .init(
            metrics: [.throughput, .wallClock, .cpuTotal, latencyMetric], tags: ["concurrency": "\(concurrency)"], units: [latencyMetric: .count],
            warmupIterations: 1, maxDuration: .seconds(30), maxIterations: iterations)
    ) { benchmark in
        let lifecycle = try shared.value
        let first = lifecycle.cursor.next() * batch
        let (elapsed, latencies) = try await runConcurrently(operations: batch, concurrency: concurrency) { n in
            try await lifecycle.run(kind, subject: lifecycle.subjects[first + n])
        }
        benchmark.stopMeasurement()
        guard benchmark.isMeasuring else { return }
        lifecycle.sampleMemory()
        for latency in latencies { benchmark.measurement(latencyMetric, Int(latency / 1_000)) }
        tally.add(operations: batch, elapsed: elapsed, latencies: latencies)
    } setup: {
        let lifecycle = try await Lifecycle.start(connections: concurrency, subjects: batch * (iterations + 1))
        shared.set(lifecycle)
        tally.note("\(lifecycle.server.directory.phones.count) encrypted contacts; each subject with 10 sealed interactions, asked once; "
            + (kind == .erasure ? "filed and verified by one DPO, approved by another" : "filed, verified and fulfilled by the DPO"))
    } teardown: {
        if let lifecycle = try? shared.value {
            let memory = lifecycle.memory
            tally.note(String(
                format: "process memory while measured (server and clients), peak: resident %.0f MB = private %.0f MB + database file pages mapped (mmap) %.0f MB",
                memory.resident, memory.anonymous, memory.file))
            try await lifecycle.server.stop()
        }
        try tally.write()
    }
}

/// The server, two members of the data protection team and the subjects they answer.
final class Lifecycle: Sendable {
    let server: LoopbackServer
    let subjects: [ContactID]
    let filer: String
    let approver: String
    let cursor = Cursor()
    private let peak = Shared<Memory>()

    /// Megabytes: the resident set and its private and file-backed parts (the database file SQLite maps
    /// is counted in the resident set, though the kernel's page cache holds it and may drop it).
    struct Memory {
        var resident = 0.0
        var anonymous = 0.0
        var file = 0.0
    }

    private init(server: LoopbackServer, subjects: [ContactID], filer: String, approver: String) {
        self.server = server
        self.subjects = subjects
        self.filer = filer
        self.approver = approver
        peak.set(Memory())
    }

    static func start(connections: Int, subjects count: Int) async throws -> Lifecycle {
        let server = try await LoopbackServer.start(connections: connections, copyName: "requestlifecycle")
        let services = server.directory.services
        let org = server.directory.org
        let profiles = try await services.profiles.all(org: org)
        guard let dpo = try await services.users.all(org: org).first(where: { $0.email == "dpo@bench.test" }),
              let profile = profiles.first(where: { $0.id == dpo.profileID })
        else { throw BenchError("The cached data set has no DPO; delete the benchmark data to reseed.") }
        let second = StaffUser(
            id: .make(), orgID: org, email: "dpo2@bench.test", name: "Second DPO", role: .dpo, teamID: nil, profileID: profile.id, disabled: false,
            createdAt: Date())
        try await services.users.create(second, passwordHash: try await services.passwords.hash("benchmark accounts are not for signing in"))
        let principal = Principal(user: dpo, authorization: Authorization(role: .dpo, profile: profile, scopes: nil), credential: .session)
        // Subjects spread over the whole table, each with 10 interactions.
        let ids = try await services.data.sql.raw("SELECT id FROM contact WHERE erased_at IS NULL ORDER BY id").all()
            .compactMap { ContactID(try $0.decode(column: "id", as: String.self)) }
        let stride = max(1, ids.count / count)
        let subjects = (0..<count).map { ids[($0 * stride) % ids.count] }
        let body = "Hello, I am writing about my last invoice. The amount seems higher than usual. Could you call me back? Thank you."
        let cursor = Cursor()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while true {
                        let n = cursor.next()
                        guard n < subjects.count * 10 else { return }
                        _ = try await services.interactions.log(
                            .init(channel: n % 2 == 0 ? .chat : .email, direction: .inbound,
                                  content: InteractionContent(subject: "Question \(n)", body: body)), contact: subjects[n / 10], by: principal)
                    }
                }
            }
            try await group.waitForAll()
        }
        let filer = "Bearer " + (try await services.authenticator.issueLoginToken(for: dpo).token)
        let approver = "Bearer " + (try await services.authenticator.issueLoginToken(for: second).token)
        return Lifecycle(server: server, subjects: subjects, filer: filer, approver: approver)
    }

    /// One request from filing to `completed`.
    func run(_ kind: RequestKind, subject: ContactID) async throws {
        let filed = try await server.send(
            .POST, "/api/v1/requests", body: #"{"kind":"\#(kind.rawValue)","contactId":"\#(subject)","channel":"letter"}"#, authorization: filer)
        guard filed.status == .created, let id = Self.id(in: filed.body) else {
            throw BenchError("Filing answered \(filed.status.code): \(String(buffer: filed.body))")
        }
        let verified = try await server.send(.POST, "/api/v1/requests/\(id)/verify", body: #"{"method":"identityDocument"}"#, authorization: filer)
        guard verified.status == .ok else { throw BenchError("Verifying answered \(verified.status.code): \(String(buffer: verified.body))") }
        let fulfilled = try await server.send(
            .POST, "/api/v1/requests/\(id)/fulfil", authorization: kind.needsApproval ? approver : filer)
        guard fulfilled.status == .ok, String(buffer: fulfilled.body).contains(#""state":"completed""#) else {
            throw BenchError("Fulfilling answered \(fulfilled.status.code): \(String(buffer: fulfilled.body))")
        }
    }

    private static func id(in body: ByteBuffer) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["id"] as? String
    }

    /// The process's resident set now (`/proc/self/status`), each part kept at its largest seen.
    func sampleMemory() {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        func megabytes(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
            else { return 0 }
            return kilobytes / 1024
        }
        var now = (try? peak.value) ?? Memory()
        now.resident = max(now.resident, megabytes("VmRSS"))
        now.anonymous = max(now.anonymous, megabytes("RssAnon"))
        now.file = max(now.file, megabytes("RssFile"))
        peak.set(now)
    }

    var memory: Memory { (try? peak.value) ?? Memory() }
}
