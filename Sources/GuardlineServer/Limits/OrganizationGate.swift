import GuardlineCore
import NIOConcurrencyHelpers

/// Work an organization runs one at a time in this process: a list build (it reads
/// whole sets into memory and, on SQLite, holds the one writer while it writes) or
/// an import (two at once would each find a person not yet held and store them
/// twice). A second is refused with `busy`, not queued.
final class OrganizationGate: Sendable {
    private let running = NIOLockedValueBox(Set<OrganizationID>())
    private let busy: String

    init(busy: String) { self.busy = busy }

    /// Runs `work` unless work of this kind is running for the organization already (409).
    func run<R: Sendable>(for org: OrganizationID, _ work: () async throws -> R) async throws -> R {
        guard running.withLockedValue({ $0.insert(org).inserted }) else { throw GuardlineError(.conflict, busy) }
        defer { _ = running.withLockedValue { $0.remove(org) } }
        return try await work()
    }
}
