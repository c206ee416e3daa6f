import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Sign-in, tokens and console sessions: turns credentials into a `Principal`.
public struct Authenticator: Sendable {
    let users: UserStore
    let teams: TeamStore
    let profiles: ProfileCache
    let bearers: BearerCache
    let credentials: CredentialStore
    let hasher: TokenHasher
    let passwords: PasswordHasher
    let throttle: LoginThrottle
    let audit: AuditWriter
    let clock: WallClock
    let sessionIdleTimeout: TimeInterval
    let sessionLifetime: TimeInterval
    let loginTokenLifetime: TimeInterval
    let maxTokenLifetimeDays: Int
    /// A bcrypt hash of a random string at the configured cost, checked when the account does not exist.
    let decoyHash: String

    /// Checks email and password (the first step; `StaffMFA.secondStep` and
    /// `recordSignIn` follow). The answer to a wrong email and a wrong password
    /// is the same, so the form cannot be used to find accounts.
    /// The attempt is counted (per account and per source address) before the password
    /// is checked. The same address may hold accounts in several organizations: the one
    /// whose password matches is signed in.
    public func signIn(email rawEmail: String, password: String, channel: String) async throws -> StaffUser {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock.now
        let refused = GuardlineError(.unauthorized, "The email or password is not right.")
        guard email.count <= 254, password.count <= 256 else { throw refused }
        let ticket = try await throttle.admit(email: email, source: RequestOrigin.current.address, now: now)
        let accounts = try await users.credentials(email: email)
        guard !accounts.isEmpty else {
            // Spend the time a real check would take, so timing does not tell accounts apart.
            _ = try await passwords.verify(password, hash: decoyHash)
            throw refused
        }
        // Every candidate is checked, so the time taken says nothing of which one matched;
        // a disabled account never stands in the way of the same person's enabled one.
        var matched: StaffUser?
        for (candidate, hash) in accounts {
            if try await passwords.verify(password, hash: hash), matched == nil, !candidate.disabled { matched = candidate }
        }
        guard let user = matched else {
            // Recorded without holding up the answer: a durable write only for known accounts
            // would let the answer's timing tell them from unknown ones. A failed write is
            // counted by the audit writer.
            let failures = accounts.map { candidate, _ in
                AuditRecord(by: .user(candidate.id), org: candidate.orgID, at: now, action: "auth.login_failed", context: channel)
            }
            let audit = self.audit
            Task { try? await audit.append(failures) }
            throw refused
        }
        try await throttle.succeeded(ticket)
        return user
    }

    /// Asks a signed-in person for their password again before something a stolen session
    /// must not do alone (minting a long-lived token, turning on two-step sign-in).
    /// Counted by the sign-in throttle like any other attempt at the password.
    public func confirmPassword(_ password: String, of user: StaffUser) async throws {
        let ticket = try await throttle.admit(email: user.email, source: RequestOrigin.current.address, now: clock.now)
        let hash = try await users.credentials(email: user.email).first { $0.user.id == user.id }?.passwordHash
        guard password.unicodeScalars.count <= 256, let hash, try await passwords.verify(password, hash: hash) else {
            throw GuardlineError.forbidden("Your password is not right; enter your current password to confirm.")
        }
        try await throttle.succeeded(ticket)
    }

    /// Records a completed sign-in, after the second step where there is one.
    public func recordSignIn(_ user: StaffUser, channel: String, secondFactor: Bool) async throws {
        try await audit.append(AuditRecord(
            by: .user(user.id), org: user.orgID, at: clock.now, action: "auth.login", context: secondFactor ? "\(channel), two-step" : channel))
    }

    /// A bearer token carrying the user's full rights, for `POST /auth/login`.
    public func issueLoginToken(for user: StaffUser) async throws -> (token: String, expiresAt: Date) {
        let token = TokenHasher.newToken()
        let now = clock.now
        let expires = now.addingTimeInterval(loginTokenLifetime)
        try await credentials.insert(
            StoredToken(id: .make(at: now), orgID: user.orgID, userID: user.id, name: "login", kind: .login,
                        scopes: Set(TokenScope.allCases), createdAt: now, expiresAt: expires),
            hash: hasher.hash(token))
        return (token, expires)
    }

    /// An integration token with chosen scopes, shown once. It always expires: after
    /// `expiresInDays` (at most the configured maximum, which is also the default), and
    /// never after the token that creates it, so a stolen token cannot mint a longer-lived one.
    public func createToken(name: String, scopes: Set<TokenScope>, expiresInDays: Int?, by principal: Principal) async throws -> (String, StoredToken) {
        let refused = scopes.subtracting(principal.authorization.grantableScopes)
        guard refused.isEmpty else {
            throw GuardlineError.forbidden("You cannot grant scopes you do not hold: \(refused.map(\.rawValue).sorted().joined(separator: ", ")).")
        }
        if let days = expiresInDays, !(1...maxTokenLifetimeDays).contains(days) {
            throw GuardlineError.invalid("'expiresInDays' must be 1 to \(maxTokenLifetimeDays) (this server's maximum token lifetime).")
        }
        let now = clock.now
        var expires = now.addingTimeInterval(Double(expiresInDays ?? maxTokenLifetimeDays) * 86400)
        if let limit = principal.credentialExpiresAt, expires > limit {
            guard expiresInDays == nil else {
                throw GuardlineError.forbidden(
                    "A token cannot outlive the token that creates it, which expires in \(Int(limit.timeIntervalSince(now) / 3600)) hours; ask for fewer days, or create it signed in to the console.")
            }
            expires = limit
        }
        let token = TokenHasher.newToken()
        let stored = StoredToken(
            id: .make(at: now), orgID: principal.orgID, userID: principal.user.id, name: name, kind: .integration,
            scopes: scopes, createdAt: now, expiresAt: expires)
        try await credentials.insert(stored, hash: hasher.hash(token))
        try await audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: now, action: "token.create",
            context: "token \(stored.id), scopes \(scopes.map(\.rawValue).sorted().joined(separator: " "))"))
        return (token, stored)
    }

    /// The principal behind a bearer token, or 401. Resolved from `bearers` when this
    /// token was seen in the last seconds; its expiry is checked every time.
    public func principal(bearer token: String) async throws -> Principal {
        let now = clock.now
        let unknown = GuardlineError(.unauthorized, "The bearer token is unknown, expired or revoked; sign in again.")
        guard token.count <= 200 else { throw unknown }
        let hash = hasher.hash(token)
        let resolved = try await bearers.resolved(hash: hash) { try await resolve(hash: hash, now: now) }
        guard resolved.token.expiresAt > now else { throw unknown }
        let (stored, user) = (resolved.token, resolved.user)
        let scopes: Set<TokenScope>? = stored.kind == .login ? nil : stored.scopes
        let credential: Principal.Credential = stored.kind == .login ? .loginToken(stored.id) : .integrationToken(stored.id)
        let profileID = user.profileID ?? resolved.teamProfile
        var profile: AccessProfile?
        if let profileID { profile = try await profiles.profile(profileID, org: user.orgID) }
        return Principal(
            user: user, authorization: Authorization(role: user.role, profile: profile ?? .denyAll(orgID: user.orgID), scopes: scopes),
            credential: credential, credentialExpiresAt: stored.expiresAt)
    }

    /// A token, its user and their team's profile from the database (a cache miss).
    private func resolve(hash: [UInt8], now: Date) async throws -> BearerCache.Resolved {
        guard let (stored, stamped) = try await credentials.token(hash: hash, now: now) else {
            throw GuardlineError(.unauthorized, "The bearer token is unknown, expired or revoked; sign in again.")
        }
        guard let user = try await users.find(stored.userID, org: stored.orgID), !user.disabled else {
            throw GuardlineError(.unauthorized, "The account behind this token is disabled.")
        }
        if stamped, stored.kind == .integration {
            try await audit.append(AuditRecord(by: .token(stored.id, for: user.id), org: user.orgID, at: now, action: "token.use"))
        }
        var teamProfile: AccessProfileID?
        if user.profileID == nil, let teamID = user.teamID { teamProfile = try await teams.find(teamID, org: user.orgID)?.profileID }
        return .init(token: stored, user: user, teamProfile: teamProfile)
    }

    /// Revokes one of the principal's integration tokens (404 if it is not theirs); in use, it stops at once.
    public func revokeToken(_ rawID: String, by principal: Principal) async throws {
        guard let id = APITokenID(rawID), try await credentials.revoke(id, user: principal.user.id, org: principal.orgID, now: clock.now)
        else { throw GuardlineError.notFound("The token") }
        bearers.invalidateAll()
        try await audit.append(AuditRecord(by: principal.auditActor, org: principal.orgID, at: clock.now, action: "token.revoke", context: "token \(id)"))
    }

    public func revoke(_ credential: Principal.Credential, principal: Principal) async throws {
        switch credential {
        case .loginToken(let id), .integrationToken(let id):
            try await credentials.revoke(id, user: principal.user.id, org: principal.orgID, now: clock.now)
            bearers.invalidateAll()
        case .session:
            break
        }
        try await audit.append(AuditRecord(by: principal.auditActor, org: principal.orgID, at: clock.now, action: "auth.logout"))
    }

    // MARK: Console sessions

    /// A fresh session for each sign-in (never reusing a cookie from before).
    public func startSession(for user: StaffUser) async throws -> (cookie: String, csrf: String) {
        let cookie = TokenHasher.newToken()
        let csrf = TokenHasher.newToken()
        let now = clock.now
        try await credentials.insertSession(
            hash: hasher.hash(cookie),
            ConsoleSession(orgID: user.orgID, userID: user.id, csrfToken: csrf, createdAt: now, lastSeenAt: now))
        return (cookie, csrf)
    }

    public func session(cookie: String) async throws -> (Principal, csrf: String)? {
        guard cookie.count <= 200,
              let session = try await credentials.session(
                  hash: hasher.hash(cookie), now: clock.now, idleTimeout: sessionIdleTimeout, lifetime: sessionLifetime),
              let user = try await users.find(session.userID, org: session.orgID), !user.disabled
        else { return nil }
        return (Principal(user: user, authorization: try await authorization(for: user, scopes: nil), credential: .session), session.csrfToken)
    }

    public func endSession(cookie: String, principal: Principal) async throws {
        try await credentials.deleteSession(hash: hasher.hash(cookie))
        try await audit.append(AuditRecord(by: principal.auditActor, org: principal.orgID, at: clock.now, action: "auth.logout", context: "console"))
    }

    /// The user's own profile if set, else their team's, else nothing at all (deny by default).
    /// A staff member acting through the command line on the server itself (an import): their
    /// own profile and role, as in the console, and recorded as them. Disabled accounts may not.
    public func operatorPrincipal(for user: StaffUser) async throws -> Principal {
        guard !user.disabled else { throw GuardlineError.forbidden("That account is disabled.") }
        return Principal(user: user, authorization: try await authorization(for: user, scopes: nil), credential: .session)
    }

    func authorization(for user: StaffUser, scopes: Set<TokenScope>?) async throws -> Authorization {
        var profile: AccessProfile?
        if let id = user.profileID {
            profile = try await profiles.profile(id, org: user.orgID)
        } else if let teamID = user.teamID, let team = try await teams.find(teamID, org: user.orgID) {
            profile = try await profiles.profile(team.profileID, org: user.orgID)
        }
        return Authorization(role: user.role, profile: profile ?? .denyAll(orgID: user.orgID), scopes: scopes)
    }

}
