import Foundation
import GuardlineCore
import GuardlineStore

/// Each organization's field catalog, read on every contact access: kept for
/// 30 seconds so the hot path stays one query, and dropped at once when this
/// process changes it.
final class CatalogCache: Sendable {
    private let store: CatalogStore
    private let cache: ExpiringCache<OrganizationID, FieldCatalog>

    init(store: CatalogStore, clock: WallClock, lifetime: TimeInterval = 30) {
        self.store = store
        cache = ExpiringCache(clock: clock, lifetime: lifetime)
    }

    func catalog(for org: OrganizationID) async throws -> FieldCatalog {
        try await cache.value(for: org) { try await store.fields(org: org) }
    }

    func invalidate(_ org: OrganizationID) { cache.invalidate(org) }

    /// The organization's journey stages (read when a contact is created or moved; not cached).
    func stages(for org: OrganizationID) async throws -> [JourneyStage] { try await store.stages(org: org) }

    /// The organization's purposes (not cached: read when consent is asked or recorded).
    func purposes(for org: OrganizationID) async throws -> [Purpose] { try await store.purposes(org: org) }
}
