import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import Logging

/// How a person reaches their own data without an account (Art. 12(2), 15–21): they give
/// an email address or number, a one-time code goes to it if, and only if, exactly one
/// person on record holds it, and the code opens a short session as that person. Every
/// answer before the code is the same whether or not anyone holds the address, in
/// content and in time (the lookup runs either way; sending runs afterwards).
public struct PrivacyPortal: Sendable {
    let store: PortalStore
    let attempts: LoginAttemptStore
    let hasher: TokenHasher
    let directory: ContactDirectory
    let requests: RequestDesk
    let consent: ConsentDesk
    let consents: ConsentStore
    let outbox: any Outbox
    /// Whether codes can go by text message (a development outbox, or an SMS gateway).
    let sendsTexts: Bool
    let audit: AuditWriter
    let auditLog: AuditLog
    let clock: WallClock
    let logger = Logger(label: "guardline.portal")

    /// An address staff changed within this long gets no code: whoever changed it must not be
    /// able to sign in as the person with an address of their own.
    static let changedAddressQuarantine: TimeInterval = 7 * 86_400

    /// A session lasts this long from the code, however busy.
    static let sessionLifetime: TimeInterval = 30 * 60

    /// A code was asked for: the challenge to type it into, whoever holds the address.
    public struct Sent: Sendable {
        public let challenge: String
        /// The address as typed, masked, to remind the person where to look.
        public let maskedAddress: String
    }

    /// Checks the address, records a challenge and, if one person holds the address, sends
    /// them a code. Rationed per address and per source (`OneTimeCode`).
    public func sendCode(to typed: String, org: OrganizationID, source: String?, language: PortalLanguage) async throws -> Sent {
        guard !(outbox is UnconfiguredOutbox) else {
            throw GuardlineError(.unavailable, "This privacy portal cannot send codes yet: the organization has not configured its mail relay.")
        }
        let recipient = try Self.recipient(typed, sendsTexts: sendsTexts, language: language)
        let now = clock.now
        let (kind, normalized) = switch recipient {
        case .email(let email): (BlindIndex.Kind.email, email)
        case .phone(let number): (BlindIndex.Kind.phone, number)
        }
        let addressKey = hasher.hash("portal-address|\(org)|\(kind.rawValue)|" + normalized)
        var allowances = [LoginAttemptStore.Allowance(key: addressKey, limit: OneTimeCode.perAddress)]
        if let source { allowances.append(.init(key: hasher.hash("portal-source|" + Self.sourceKey(source)), limit: OneTimeCode.perSource)) }
        if let retry = try await attempts.reserve(allowances, attempt: Array(hasher.hash(TokenHasher.newToken()).prefix(16)), now: now, window: OneTimeCode.window) {
            let seconds = max(1, Int(retry.timeIntervalSince(now).rounded(.up)))
            throw GuardlineError(.tooManyAttempts, language.text(.tooManyCodes), retryAfter: seconds)
        }
        // Two people sharing an address cannot be told apart by a code sent to it: neither gets one.
        let person = try await directory.soleHolder(kind, normalized, org: org)
        let code = OneTimeCode.make()
        let challenge = String(TokenHasher.newToken().dropFirst(3))
        let channel = kind == .email ? VerificationMethod.emailCode : .smsCode
        try await store.open(.init(
            id: challenge, orgID: org, contactID: person, channel: channel.rawValue, addressKey: addressKey, codeHash: codeHash(challenge, code),
            attemptsLeft: OneTimeCode.attempts, expiresAt: now.addingTimeInterval(OneTimeCode.lifetime), createdAt: now))
        if let person {
            let message = OutboundMessage(to: recipient, subject: language.text(.codeSubject), body: language.codeMessage(code))
            // Sent after the answer, so its time tells nothing; a failure is logged without the address.
            let field = kind == .email ? "email" : "phone"
            Task { [outbox, audit, auditLog, logger] in
                do {
                    guard try await !Self.readdressed(person, field: field, org: org, since: now.addingTimeInterval(-Self.changedAddressQuarantine), log: auditLog) else {
                        try await audit.append(AuditRecord(by: .system, org: org, at: now, action: "portal.code.withheld", contactID: person,
                                                           fields: [field], context: "changed by staff within 7 days"))
                        return
                    }
                    try await outbox.deliver(message)
                    try await audit.append(AuditRecord(by: .system, org: org, at: now, action: "portal.code", contactID: person,
                                                       context: "channel \(channel.rawValue)"))
                } catch {
                    logger.error("A one-time code could not be sent", metadata: ["guardline.channel": "\(channel.rawValue)", "guardline.error": "\(Self.describe(error))"])
                }
            }
        }
        return Sent(challenge: challenge, maskedAddress: recipient.masked)
    }

    /// The session a right code opens, or nil: a wrong code, an expired or spent challenge
    /// and an address nobody holds all look the same. Each try spends one of the three.
    public func signIn(challenge: String, code typed: String, org: OrganizationID, language: PortalLanguage) async throws -> (cookie: String, session: PortalStore.Session)? {
        guard challenge.count <= 64, let found = try await store.spendAttempt(
            challenge, org: org, now: clock.now, attempts: OneTimeCode.attempts, failuresPerDay: OneTimeCode.triesPerAddressPerDay)
        else { return nil }
        let typed = OneTimeCode.normalize(typed) ?? "not a code"
        guard ConsoleSessionMiddleware.constantTimeEqual(codeHash(challenge, typed).hex, found.codeHash.hex), let person = found.contactID,
              try await store.close(challenge)
        else { return nil }
        let now = clock.now
        let cookie = TokenHasher.newToken()
        let session = PortalStore.Session(
            tokenHash: hasher.hash(cookie), orgID: org, contactID: person, channel: found.channel, csrf: TokenHasher.newToken(),
            language: language.rawValue, expiresAt: now.addingTimeInterval(Self.sessionLifetime), createdAt: now)
        try await audit.recording(AuditRecord(by: .subject(person), org: org, at: now, action: "portal.signin", contactID: person,
                                              context: "method \(found.channel)")) { step in
            try await store.start(session, step: step)
        }
        return (cookie, session)
    }

    /// The live session behind a cookie, for this organization's portal.
    public func session(cookie: String, org: OrganizationID) async throws -> PortalStore.Session? {
        guard cookie.count <= 128, let session = try await store.session(hasher.hash(cookie), now: clock.now), session.orgID == org else { return nil }
        return session
    }

    public func signOut(_ session: PortalStore.Session) async throws {
        try await store.end(session.tokenHash)
        try await audit.append(AuditRecord(by: .subject(session.contactID), org: session.orgID, at: clock.now, action: "portal.signout",
                                           contactID: session.contactID))
    }

    public func setLanguage(_ language: PortalLanguage, of session: PortalStore.Session) async throws {
        try await store.setLanguage(language.rawValue, of: session.tokenHash)
    }

    /// An email address, or an international number where texts can be sent; normalized as
    /// the blind index has them.
    static func recipient(_ typed: String, sendsTexts: Bool, language: PortalLanguage) throws -> OutboundMessage.Recipient {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 254 else { throw GuardlineError.invalid(language.text(.badAddress)) }
        if text.contains("@") {
            guard let email = EmailAddress(text) else { throw GuardlineError.invalid(language.text(.badEmail)) }
            return .email(email.normalized)
        }
        guard sendsTexts else { throw GuardlineError.invalid(language.text(.emailOnly)) }
        guard let phone = PhoneNumber(text) else { throw GuardlineError.invalid(language.text(.badAddress)) }
        return .phone(phone.e164)
    }

    /// Whether staff changed the person's `field` (email, phone) since then: every update entry of
    /// that window is read, a page at a time, however many edits came after.
    static func readdressed(_ person: ContactID, field: String, org: OrganizationID, since: Date, log: AuditLog) async throws -> Bool {
        var before: Int64?
        while true {
            let page = try await log.entries(org: org, .init(contactID: person, action: "contact.update", before: before, limit: 200))
            for entry in page where entry.record.at >= since {
                if let context = entry.record.context, context.hasPrefix(ContactDirectory.addressChanged), context.contains(field) { return true }
            }
            guard page.count == 200, let last = page.last, last.record.at >= since else { return false }
            before = last.seq
        }
    }

    /// The source a code's ration is counted against: an IPv4 address (an IPv4-mapped IPv6 one
    /// too), or an IPv6 /64 (one subscriber's whole prefix, which they may rotate through at will).
    /// Anything that does not parse counts as itself.
    static func sourceKey(_ address: String) -> String {
        var v6 = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        return bytes[0..<8].hex + "::/64"
    }

    func codeHash(_ challenge: String, _ code: String) -> [UInt8] { hasher.hash("portal-code|\(challenge)|\(code)") }

    /// An error as logged: its code only for ours, its type for others (no values).
    static func describe(_ error: any Error) -> String {
        (error as? GuardlineError).map { "\($0.code)" } ?? "\(type(of: error))"
    }
}
