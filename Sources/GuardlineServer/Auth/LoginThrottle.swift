import Foundation
import GuardlineCore

/// Slows password guessing: after `limit` failures for one account within
/// `window`, further attempts are refused until the window has passed.
/// Keyed by a hash of the normalized email, so no address sits in memory dumps.
actor LoginThrottle {
    private var failures: [Int: [Date]] = [:]
    private let limit: Int
    private let window: TimeInterval

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    func check(_ email: String, now: Date) throws {
        let recent = (failures[key(email)] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key(email)] = recent.isEmpty ? nil : recent
        if recent.count >= limit {
            let minutes = Int(((window - now.timeIntervalSince(recent[0])) / 60).rounded(.up))
            throw GuardlineError(.tooManyAttempts, "Too many failed sign-ins for this account; try again in \(max(1, minutes)) minutes.")
        }
    }

    func failed(_ email: String, now: Date) { failures[key(email), default: []].append(now) }

    func succeeded(_ email: String) { failures[key(email)] = nil }

    private func key(_ email: String) -> Int { email.lowercased().hashValue }
}
