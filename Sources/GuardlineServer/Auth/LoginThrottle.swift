import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Slows password guessing: within `window`, at most `perAccount` attempts at one
/// account and `perSource` failed attempts from one address. An attempt is counted
/// before its password is checked, so guesses sent in parallel are counted as they
/// arrive, and the counts live in the database (`LoginAttemptStore`), shared by every
/// server process and bounded in memory. Keys are keyed hashes: no address or email
/// is stored.
struct LoginThrottle: Sendable {
    let attempts: LoginAttemptStore
    let hasher: TokenHasher
    let perAccount: Int
    let perSource: Int
    let window: TimeInterval

    /// An admitted attempt, to be cleared if it succeeds.
    struct Ticket: Sendable {
        fileprivate let account: [UInt8]
        fileprivate let attempt: [UInt8]
    }

    func admit(email: String, source: String?, now: Date) async throws -> Ticket {
        let account = hasher.hash("login-account|" + email.lowercased())
        var allowances = [LoginAttemptStore.Allowance(key: account, limit: perAccount)]
        if let source { allowances.append(.init(key: hasher.hash("login-source|" + source), limit: perSource)) }
        let attempt = Array(hasher.hash(TokenHasher.newToken()).prefix(16))
        if let retry = try await attempts.reserve(allowances, attempt: attempt, now: now, window: window) {
            let seconds = max(1, Int(retry.timeIntervalSince(now).rounded(.up)))
            throw GuardlineError(
                .tooManyAttempts, "Too many sign-in attempts; try again in \(max(1, (seconds + 59) / 60)) minutes.",
                retryAfter: seconds)
        }
        return Ticket(account: account, attempt: attempt)
    }

    func succeeded(_ ticket: Ticket) async throws {
        try await attempts.succeeded(account: ticket.account, attempt: ticket.attempt)
    }
}
