import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Staff two-step sign-in with an authenticator app (TOTP, RFC 6238). The secret is
/// sealed under its own key, a code's time step is never accepted twice, wrong codes
/// are throttled per user like passwords, and recovery codes are kept as keyed hashes.
/// Each organization says which roles must use it (admin and DPO by default).
public struct StaffMFA: Sendable {
    let store: MFAStore
    let organizations: OrganizationStore
    let cipher: StaffSecretCipher
    let hasher: TokenHasher
    let attempts: LoginAttemptStore
    let audit: AuditWriter
    let clock: WallClock
    let window: TimeInterval
    static let issuer = "Guardline"
    static let codesPerUser = 5
    static let recoveryCodeCount = 10
    /// How long a key shown on the set-up page may be confirmed.
    static let pendingLifetime: TimeInterval = 10 * 60

    public struct Status: Sendable {
        public let enrolled: Bool
        public let required: Bool
    }

    /// What the enrolment page shows: the URI an app scans, its secret typed by hand, the QR code.
    public struct Enrolment: Sendable {
        public let uri: String
        public let secret: String
        public let qrSVG: String
    }

    public func status(of user: StaffUser) async throws -> Status {
        let enrolment = try await store.enrolment(user: user.id, org: user.orgID)
        let required = try await organizations.mfaRoles(user.orgID).contains(user.role)
        return Status(enrolled: enrolment?.enabledAt != nil, required: required)
    }

    /// The second step of a sign-in, after the password: a code is asked of an enrolled
    /// user; a user whose role requires it but who has not enrolled is sent to enrol in
    /// the console. Returns whether a second factor was used.
    func secondStep(for user: StaffUser, code: String?) async throws -> Bool {
        let status = try await status(of: user)
        if status.enrolled {
            guard let code, !code.isEmpty else {
                try await record(user, "auth.second_step_required", context: "code missing")
                throw GuardlineError(.unauthorized,
                    "This account signs in with a one-time code as well: send 'code' with the 6 digits from your authenticator app, or a recovery code.")
            }
            try await verify(code, for: user)
            return true
        }
        if status.required {
            try await record(user, "auth.second_step_required", context: "not set up")
            throw GuardlineError.forbidden(
                "Your organization requires two-step sign-in for your role: sign in to the console once to set it up, then use the API.")
        }
        return false
    }

    /// The set-up of a user who has no secret enabled yet: the pending secret if there is
    /// one (so a reload or a mistyped code keeps the code already scanned), else a new one.
    public func beginEnrolment(for user: StaffUser) async throws -> Enrolment {
        let existing = try await store.enrolment(user: user.id, org: user.orgID)
        guard existing?.enabledAt == nil else { throw GuardlineError(.conflict, "Two-step sign-in is already on for this account.") }
        let totp: TOTP
        if let pending = existing, clock.now.timeIntervalSince(pending.createdAt) < Self.pendingLifetime,
           let reopened = TOTP(secret: try cipher.open(pending.sealedSecret, org: user.orgID, user: user.id)) {
            totp = reopened
        } else {
            // A key shown and not confirmed in time is replaced: whoever glimpsed it cannot wait for it to be turned on.
            totp = TOTP.generate()
            try await store.savePending(
                user: user.id, org: user.orgID, sealedSecret: try cipher.seal(totp.secret, org: user.orgID, user: user.id), at: clock.now)
        }
        let uri = totp.provisioningURI(issuer: Self.issuer, account: user.email)
        let qr = try QRCode(encoding: uri)
        let grouped = stride(from: 0, to: totp.base32Secret.count, by: 4).map { offset -> String in
            let start = totp.base32Secret.index(totp.base32Secret.startIndex, offsetBy: offset)
            return String(totp.base32Secret[start...].prefix(4))
        }.joined(separator: " ")
        return Enrolment(uri: uri, secret: grouped, qrSVG: qr.svg(moduleSize: 4, quietZone: 4, label: "QR code to scan with your authenticator app"))
    }

    /// Turns two-step sign-in on with the first code from the app; returns the recovery
    /// codes, shown this once.
    public func confirmEnrolment(for user: StaffUser, code: String) async throws -> [String] {
        guard let pending = try await store.enrolment(user: user.id, org: user.orgID), pending.enabledAt == nil,
              clock.now.timeIntervalSince(pending.createdAt) < Self.pendingLifetime
        else {
            throw GuardlineError(.conflict, "There is no set-up in progress, or it took longer than 10 minutes; open the two-step sign-in page again.")
        }
        let ticket = try await admit(user)
        guard let totp = TOTP(secret: try cipher.open(pending.sealedSecret, org: user.orgID, user: user.id)),
              let counter = totp.matchingCounter(code, at: clock.now)
        else {
            try await record(user, "auth.mfa_failed", context: "enrolment")
            throw GuardlineError(.invalidInput, "That code does not match; check the app's clock and enter the code it shows now.")
        }
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.newRecoveryCode() }
        guard try await store.enable(
            user: user.id, sealedSecret: pending.sealedSecret, counter: counter,
            recoveryHashes: codes.map { recoveryHash($0, user: user.id) }, at: clock.now)
        else { throw GuardlineError(.conflict, "The set-up changed meanwhile; open the two-step sign-in page again.") }
        try await attempts.succeeded(account: ticket.key, attempt: ticket.attempt)
        try await record(user, "auth.mfa_enrol", context: nil)
        return codes
    }

    /// Checks a code (TOTP or recovery) for an enrolled user; throws 401, or 429 when throttled.
    func verify(_ code: String, for user: StaffUser) async throws {
        guard let enrolment = try await store.enrolment(user: user.id, org: user.orgID), enrolment.enabledAt != nil else {
            throw GuardlineError(.unauthorized, "This account has no two-step sign-in.")
        }
        let ticket = try await admit(user)
        let compact = code.filter { !$0.isWhitespace && $0 != "-" }
        var accepted = false
        var factor = "totp"
        if compact.count == TOTP.digits, compact.allSatisfy(\.isASCII) {
            if let totp = TOTP(secret: try cipher.open(enrolment.sealedSecret, org: user.orgID, user: user.id)),
               let counter = totp.matchingCounter(compact, at: clock.now) {
                // A code already used (or an older one) is refused: it may have been seen over a shoulder.
                accepted = try await store.use(counter: counter, user: user.id)
            }
        } else if compact.count <= 32 {
            factor = "recovery_code"
            accepted = try await store.useRecoveryCode(hash: recoveryHash(compact, user: user.id), user: user.id, at: clock.now)
        }
        guard accepted else {
            try await record(user, "auth.mfa_failed", context: factor)
            throw GuardlineError(.unauthorized, "The one-time code is not right, or was already used.")
        }
        try await attempts.succeeded(account: ticket.key, attempt: ticket.attempt)
        if factor == "recovery_code" { try await record(user, "auth.mfa_recovery_code_used", context: nil) }
    }

    // MARK: Parts

    private func admit(_ user: StaffUser) async throws -> (key: [UInt8], attempt: [UInt8]) {
        let key = hasher.hash("mfa-user|" + user.id.description)
        let attempt = Array(hasher.hash(TokenHasher.newToken()).prefix(16))
        if let retry = try await attempts.reserve([.init(key: key, limit: Self.codesPerUser)], attempt: attempt, now: clock.now, window: window) {
            let seconds = max(1, Int(retry.timeIntervalSince(clock.now).rounded(.up)))
            throw GuardlineError(.tooManyAttempts, "Too many wrong codes; try again in \(max(1, (seconds + 59) / 60)) minutes.", retryAfter: seconds)
        }
        return (key, attempt)
    }

    private func recoveryHash(_ code: String, user: UserID) -> [UInt8] {
        hasher.hash("mfa-recovery|\(user)|" + code.uppercased().filter { !$0.isWhitespace && $0 != "-" })
    }

    /// Ten base32 characters (50 bits) as `XXXXX-XXXXX`.
    static func newRecoveryCode() -> String {
        let text = Base32.encode(TOTP.generate().secret.prefix(7)).prefix(10)
        return "\(text.prefix(5))-\(text.suffix(5))"
    }

    private func record(_ user: StaffUser, _ action: String, context: String?) async throws {
        try await audit.append(AuditRecord(by: .user(user.id), org: user.orgID, at: clock.now, action: action, context: context))
    }
}
