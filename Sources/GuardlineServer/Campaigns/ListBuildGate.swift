import GuardlineCore
import NIOConcurrencyHelpers

/// One list build per organization at a time. A build reads whole sets into memory and,
/// on SQLite, holds the one writer while it writes the list: builds asked in a loop would
/// hold every screen pop's audit entry behind them. A second build is refused, not queued.
final class ListBuildGate: Sendable {
    private let running = NIOLockedValueBox(Set<OrganizationID>())

    /// Runs `build` unless one is running for the organization already (409).
    func run<R: Sendable>(for org: OrganizationID, _ build: () async throws -> R) async throws -> R {
        guard running.withLockedValue({ $0.insert(org).inserted }) else {
            throw GuardlineError(.conflict, "A list is being built for your organization already: try again when it is done.")
        }
        defer { _ = running.withLockedValue { $0.remove(org) } }
        return try await build()
    }
}
