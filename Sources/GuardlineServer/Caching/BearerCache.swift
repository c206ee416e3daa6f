import Foundation
import GuardlineCore
import GuardlineStore

/// Bearer tokens as each API request resolves them: the token row, its user and the
/// user's team profile, kept for 5 seconds by the token's keyed hash (never the token).
/// Resolving them from the database was most of a screen pop's cost over HTTP. Only
/// tokens that resolved are kept; expiry is checked on every use. A revocation, or
/// any change to a user or team, made through this process drops every entry at once;
/// one made by another server process applies within the 5 seconds.
final class BearerCache: Sendable {
    struct Resolved: Sendable {
        let token: StoredToken
        let user: StaffUser
        /// The user's team's profile, when the user has no profile of their own.
        let teamProfile: AccessProfileID?
    }

    private let cache: ExpiringCache<[UInt8], Resolved>

    init(clock: WallClock, lifetime: TimeInterval = 5) {
        cache = ExpiringCache(clock: clock, lifetime: lifetime)
    }

    func resolved(hash: [UInt8], load: () async throws -> Resolved) async throws -> Resolved {
        try await cache.value(for: hash, load: load)
    }

    func invalidateAll() { cache.invalidateAll() }
}
