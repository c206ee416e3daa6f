import GuardlineCore
import NIOConcurrencyHelpers

/// Work that holds much memory while it runs (an export package, with recordings' audio)
/// runs at most `limit` at a time in this process; one more is refused with 429 and a
/// short `Retry-After`, not queued.
final class ConcurrencyGate: Sendable {
    private let running = NIOLockedValueBox(0)
    private let limit: Int
    private let busy: String

    init(limit: Int, busy: String) {
        self.limit = limit
        self.busy = busy
    }

    func run<R: Sendable>(_ work: () async throws -> R) async throws -> R {
        guard running.withLockedValue({ count in
            guard count < limit else { return false }
            count += 1
            return true
        }) else { throw GuardlineError(.tooManyAttempts, busy, retryAfter: 5) }
        defer { running.withLockedValue { $0 -= 1 } }
        return try await work()
    }
}
