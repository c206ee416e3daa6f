import Foundation
import GuardlineCore
import GuardlineStore
import NIOConcurrencyHelpers

/// Each organization's field catalog, read on every contact access: cached
/// for a short while so the hot path stays one query, and dropped at once
/// when this process changes it.
final class CatalogCache: Sendable {
    private let store: CatalogStore
    private let clock: WallClock
    private let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[OrganizationID: (catalog: FieldCatalog, loadedAt: Date)]>([:])

    init(store: CatalogStore, clock: WallClock, lifetime: TimeInterval = 30) {
        self.store = store
        self.clock = clock
        self.lifetime = lifetime
    }

    func catalog(for org: OrganizationID) async throws -> FieldCatalog {
        let now = clock.now
        if let cached = entries.withLockedValue({ $0[org] }), now.timeIntervalSince(cached.loadedAt) < lifetime {
            return cached.catalog
        }
        let catalog = try await store.fields(org: org)
        entries.withLockedValue { $0[org] = (catalog, now) }
        return catalog
    }

    func invalidate(_ org: OrganizationID) { _ = entries.withLockedValue { $0.removeValue(forKey: org) } }
}
