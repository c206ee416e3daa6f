import Foundation
import GuardlineCore

/// Where messages to the people whose data we hold leave Guardline: one-time codes for
/// the privacy portal, and news of their requests. A seam, because the carrier is the
/// operator's (an SMTP relay in production, a file while developing).
public protocol Outbox: Sendable {
    func deliver(_ message: OutboundMessage) async throws
}

/// No relay and no development file: nothing can be sent, and the portal says so up front.
public struct UnconfiguredOutbox: Outbox {
    public init() {}

    public func deliver(_ message: OutboundMessage) async throws {
        throw GuardlineError(.unavailable, "No outbox is configured: set GUARDLINE_SMTP_URL (or GUARDLINE_OUTBOX=file while developing).")
    }
}

/// A message to one person. Its address and text are personal data: an outbox sends
/// them, and never logs them.
public struct OutboundMessage: Sendable, Equatable {
    public enum Recipient: Sendable, Equatable {
        case email(String)
        /// A number in E.164 form, for a text message.
        case phone(String)
    }

    public var to: Recipient
    public var subject: String
    public var body: String

    public init(to: Recipient, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

extension OutboundMessage.Recipient {
    /// The address with most of it hidden (`j•••@example.com`, `+35•••••••78`), for a
    /// development console or a page telling the person where a code went.
    public var masked: String {
        switch self {
        case .email(let address):
            guard let at = address.firstIndex(of: "@") else { return "•••" }
            return String(address[..<at].prefix(1)) + "•••" + address[at...]
        case .phone(let number):
            guard number.count > 5 else { return "•••" }
            return String(number.prefix(3)) + String(repeating: "•", count: number.count - 5) + String(number.suffix(2))
        }
    }
}
