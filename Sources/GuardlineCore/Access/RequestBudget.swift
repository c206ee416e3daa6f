import Foundation

/// A token bucket: `perMinute` requests a minute on average, up to `perMinute` at once.
/// Caps how fast one person can pull contacts out (lookups, cards, list pages, reveals):
/// an agent on the phone makes a few a minute; a script scraping the directory with a
/// stolen session makes thousands, and is slowed to the same pace.
public struct RequestBudget: Sendable, Equatable {
    public let perMinute: Int
    public private(set) var tokens: Double
    public private(set) var updatedAt: Date

    public init(perMinute: Int, now: Date) {
        self.perMinute = perMinute
        tokens = Double(perMinute)
        updatedAt = now
    }

    /// Takes `cost` tokens (one per contact a request may return); nil if granted, else the
    /// seconds until that many are free. A cost above the burst is charged as the whole burst.
    public mutating func spend(now: Date, cost: Int = 1) -> Int? {
        let rate = Double(perMinute) / 60
        let cost = Double(min(max(1, cost), perMinute))
        tokens = min(Double(perMinute), tokens + max(0, now.timeIntervalSince(updatedAt)) * rate)
        updatedAt = now
        guard tokens >= cost else { return max(1, Int(((cost - tokens) / rate).rounded(.up))) }
        tokens -= cost
        return nil
    }

    /// Whether the bucket has refilled completely (so it can be forgotten).
    public func isFull(now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updatedAt)) * Double(perMinute) / 60 >= Double(perMinute)
    }
}
