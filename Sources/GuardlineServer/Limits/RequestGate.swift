import GuardlineCore
import NIOConcurrencyHelpers

/// One answer at a time per data subject request in this process: carrying it out, refusing
/// it and cancelling it exclude one another, so the work done and the state recorded agree.
/// A second is refused (409), not queued. (Servers sharing PostgreSQL rely on the row lock
/// at the request's close instead, which refuses the later of the two.)
final class RequestGate: Sendable {
    private let running = NIOLockedValueBox(Set<SubjectRequestID>())

    func run<R: Sendable>(_ id: SubjectRequestID, _ work: () async throws -> R) async throws -> R {
        guard running.withLockedValue({ $0.insert(id).inserted }) else {
            throw GuardlineError(.conflict, "This request is being answered right now; read it again in a moment.")
        }
        defer { _ = running.withLockedValue { $0.remove(id) } }
        return try await work()
    }
}
