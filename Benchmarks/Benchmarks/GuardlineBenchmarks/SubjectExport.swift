import Benchmark
import Foundation
import GuardlineCore
import GuardlineServer

// Budget (issue 12): a subject access export in under 1 s for a subject with 10,000 interactions.

/// The export package of an answered access request, built end to end as the DPO downloads
/// it: every field opened, 10,000 interactions opened and written out, the access log read
/// and described, the consent history, JSON and the plain-language page rendered, zipped, and
/// the download audited. One contact among 100,000.
func subjectExport() {
    let tally = Tally(name: "SubjectExport", unit: "packages")
    let shared = Shared<(directory: BenchData.Directory, path: String, dpo: Principal, request: SubjectRequestID)>()
    Benchmark("SubjectExport", configuration: .init(metrics: [.wallClock, .cpuTotal], warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 15)) { benchmark in
        let opened = try shared.value
        let clock = ContinuousClock()
        let began = clock.now
        let package = try await opened.directory.services.requests.export(opened.request, by: opened.dpo)
        let elapsed = began.duration(to: clock.now)
        blackHole(package.bytes.count)
        benchmark.stopMeasurement()
        if benchmark.isMeasuring { tally.add(operations: 1, elapsed: elapsed, latencies: [elapsed.nanoseconds]) }
    } setup: {
        let (directory, path) = try await BenchData.openContacts(copyName: "subjectexport")
        let services = directory.services
        let users = try await services.users.all(org: directory.org)
        let profiles = try await services.profiles.all(org: directory.org)
        guard let user = users.first(where: { $0.email == "dpo@bench.test" }), let profile = profiles.first(where: { $0.id == user.profileID })
        else { throw BenchError("The cached data set has no DPO; delete the benchmark data to reseed.") }
        let dpo = Principal(user: user, authorization: Authorization(role: user.role, profile: profile, scopes: nil), credential: .session)
        guard let contact = try await services.contacts.lookup(.phone(directory.phones[4_321]), by: dpo, channel: "api").first?.id else {
            throw BenchError("The subject was not found.")
        }
        // 10,000 emails and chats, each through the redactor and sealed, as the API logs them.
        let body = "Hello, I am writing about my last invoice. The amount seems higher than usual and I would like to know why. "
            + "My card ending 4242 was charged twice on the same day. Could you call me back in the afternoon? Thank you."
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for n in stride(from: worker, to: 10_000, by: 8) {
                        _ = try await services.interactions.log(
                            .init(channel: n % 3 == 0 ? .chat : .email, direction: .inbound,
                                  content: InteractionContent(subject: "Invoice question \(n)", body: body)), contact: contact, by: dpo)
                    }
                }
            }
            try await group.waitForAll()
        }
        let filed = try await services.requests.file(.init(kind: .access, contact: contact, channel: .letter), by: dpo)
        _ = try await services.requests.verify(filed.request.id, method: .identityDocument, interaction: nil, by: dpo)
        _ = try await services.requests.fulfil(filed.request.id, ground: nil, by: dpo)
        let sample = try await services.requests.export(filed.request.id, by: dpo)
        shared.set((directory, path, dpo, filed.request.id))
        tally.note("one contact among \(directory.phones.count) with 10,000 interactions (redacted, sealed) and as many audit entries; a package of \(sample.bytes.count / 1_000) kB")
    } teardown: {
        if let opened = try? shared.value {
            try await opened.directory.services.shutdown()
            BenchData.remove(opened.path)
        }
        try tally.write()
    }
}
