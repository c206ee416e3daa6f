import Foundation
import GuardlineCore
import NIOConcurrencyHelpers

/// Values read from the database and kept for a short while, so that a hot path
/// (each contact access's field catalog, each request's access profile) does not
/// read and decode them every time. A change made through this process drops its
/// entry at once (`invalidate`); one made by another process (a second server on
/// the same PostgreSQL, the CLI) is seen after `lifetime` at most.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let clock: WallClock
    private let lifetime: TimeInterval
    private struct State {
        var entries: [Key: (value: Value, loadedAt: Date)] = [:]
        /// Bumped by every invalidation: a load that began before one is not kept.
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())
    /// The keys are ids of organizations or profiles, not input; the cap only keeps a mistake bounded.
    private static var capacity: Int { 10_000 }

    init(clock: WallClock, lifetime: TimeInterval) {
        self.clock = clock
        self.lifetime = lifetime
    }

    /// The cached value, or `load`'s, kept from now on. Two callers missing at once both load;
    /// the values are equal, and the later one stays.
    func value(for key: Key, load: () async throws -> Value) async throws -> Value {
        let now = clock.now
        let (cached, generation) = state.withLockedValue { ($0.entries[key], $0.generation) }
        if let cached, now.timeIntervalSince(cached.loadedAt) < lifetime { return cached.value }
        let value = try await load()
        state.withLockedValue { state in
            // An invalidation while loading (a revocation, say) may have made this value stale.
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = (value, now)
        }
        return value
    }

    func invalidate(_ key: Key) {
        state.withLockedValue { state in
            state.entries.removeValue(forKey: key)
            state.generation &+= 1
        }
    }

    func invalidateAll() {
        state.withLockedValue { state in
            state.entries.removeAll()
            state.generation &+= 1
        }
    }
}
