import Foundation
import GuardlineCore
import GuardlineStore

/// Access profiles as every authenticated request resolves them: decoding a
/// profile's rules cost a request more than its own screen pop. Kept for 5
/// seconds, dropped at once when this process saves the profile; a change saved
/// by another server process applies within those 5 seconds.
final class ProfileCache: Sendable {
    private struct Key: Hashable, Sendable {
        let id: AccessProfileID
        let org: OrganizationID
    }

    private let store: ProfileStore
    private let cache: ExpiringCache<Key, AccessProfile?>

    init(store: ProfileStore, clock: WallClock, lifetime: TimeInterval = 5) {
        self.store = store
        cache = ExpiringCache(clock: clock, lifetime: lifetime)
    }

    func profile(_ id: AccessProfileID, org: OrganizationID) async throws -> AccessProfile? {
        try await cache.value(for: Key(id: id, org: org)) { try await store.find(id, org: org) }
    }

    func invalidate(_ id: AccessProfileID, org: OrganizationID) { cache.invalidate(Key(id: id, org: org)) }
}
