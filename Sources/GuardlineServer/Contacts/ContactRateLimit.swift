import Foundation
import GuardlineCore
import NIOConcurrencyHelpers

/// Per-user budgets for reaching contacts (`RequestBudget`), in this process's memory:
/// a limit on scraping, not an accounting. Full buckets are dropped when the table
/// grows, so memory stays bounded by the users active in the last minute.
final class ContactRateLimit: Sendable {
    private let perMinute: Int
    private let clock: WallClock
    private let budgets = NIOLockedValueBox<[UserID: RequestBudget]>([:])
    private static let tidyAbove = 10_000

    /// `perMinute` 0 turns the limit off.
    init(perMinute: Int, clock: WallClock) {
        self.perMinute = perMinute
        self.clock = clock
    }

    /// `cost`: how many contacts the request may return (a list page costs its size).
    func spend(_ principal: Principal, cost: Int = 1) throws {
        guard perMinute > 0 else { return }
        let now = clock.now
        let wait: Int? = budgets.withLockedValue { budgets in
            if budgets.count > Self.tidyAbove { budgets = budgets.filter { !$0.value.isFull(now: now) } }
            var budget = budgets[principal.user.id] ?? RequestBudget(perMinute: perMinute, now: now)
            let wait = budget.spend(now: now, cost: cost)
            budgets[principal.user.id] = budget
            return wait
        }
        if let wait {
            throw GuardlineError(
                .tooManyAttempts,
                "You have opened contacts faster than \(perMinute) a minute; wait \(wait) seconds. If your work needs more, ask your administrator.",
                retryAfter: wait)
        }
    }
}
