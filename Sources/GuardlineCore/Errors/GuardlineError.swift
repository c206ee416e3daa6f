/// An error that explains itself: what went wrong and how to fix it, safe to
/// show to the caller. Messages never carry personal data: they name fields,
/// not values. The underlying cause (if any) is for logs, never for clients.
public struct GuardlineError: Error, Sendable, CustomStringConvertible {
    /// A stable category; cases can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidInput, unauthorized, forbidden, notFound, conflict, tooManyAttempts, payloadTooLarge, unavailable, gone
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request is malformed or a value fails validation.
        public static let invalidInput = Code(.invalidInput)
        /// No valid session or token.
        public static let unauthorized = Code(.unauthorized)
        /// Authenticated, but the role, scope or access profile does not allow it.
        public static let forbidden = Code(.forbidden)
        /// The thing does not exist in the caller's organization.
        public static let notFound = Code(.notFound)
        /// It would duplicate something unique (an email, a name).
        public static let conflict = Code(.conflict)
        /// Throttled, e.g. repeated failed logins.
        public static let tooManyAttempts = Code(.tooManyAttempts)
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// It existed, and is no longer available (an expired download).
        public static let gone = Code(.gone)
        /// A dependency (database, key store) is not usable right now.
        public static let unavailable = Code(.unavailable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?
    /// For a throttled request: seconds until it may be tried again (`Retry-After`).
    public let retryAfter: Int?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }

    public static func invalid(_ message: String) -> GuardlineError { .init(.invalidInput, message) }
    public static func notFound(_ what: String) -> GuardlineError { .init(.notFound, "\(what) was not found in your organization.") }
    public static func forbidden(_ message: String) -> GuardlineError { .init(.forbidden, message) }
}
