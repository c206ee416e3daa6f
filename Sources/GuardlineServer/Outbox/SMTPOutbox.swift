import Foundation
import GuardlineCore
import NIOCore
import NIOPosix
import NIOSSL

/// Sends each message through an SMTP relay, configured by one URL
/// (`GUARDLINE_SMTP_URL`): `smtp://relay.internal:25` for a relay on a private network,
/// `smtps://user:password@mail.example.com:465` for implicit TLS with AUTH PLAIN (a
/// password is refused over plain `smtp://`). Text messages go through an email-to-SMS
/// gateway when one is named (`?sms=sms.example.net` sends to `351912345678@sms.example.net`).
/// One connection per message: codes are few, and a relay that is down fails one message.
public struct SMTPOutbox: Outbox {
    public let host: String
    public let port: Int
    public let tls: Bool
    let username: String?
    let password: String?
    public let from: String
    public let smsDomain: String?
    static let timeout: Duration = .seconds(30)

    public init(url text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme, scheme == "smtp" || scheme == "smtps",
              let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/"
        else { throw GuardlineError.invalid("GUARDLINE_SMTP_URL must be smtp://host[:port]?from=... or smtps://user:password@host[:port]?from=..., not what was given.") }
        self.host = host
        tls = scheme == "smtps"
        port = url.port ?? (tls ? 465 : 25)
        username = url.percentEncodedUser?.removingPercentEncoding
        password = url.percentEncodedPassword?.removingPercentEncoding
        if password != nil, !tls { throw GuardlineError.invalid("GUARDLINE_SMTP_URL: a password goes only over smtps:// (TLS).") }
        let items = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        guard let from = items["from"], Self.isPlainAddress(from) else {
            throw GuardlineError.invalid("GUARDLINE_SMTP_URL needs ?from=privacy@your-domain (the sender of codes and notices).")
        }
        self.from = from
        if let sms = items["sms"] {
            guard !sms.isEmpty, sms.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw GuardlineError.invalid("GUARDLINE_SMTP_URL: ?sms= names the email-to-SMS gateway's domain.")
            }
            smsDomain = sms
        } else {
            smsDomain = nil
        }
    }

    /// Whether text messages can be sent at all (the portal offers codes by SMS only then).
    public var sendsTexts: Bool { smsDomain != nil }

    public func deliver(_ message: OutboundMessage) async throws {
        let recipient: String
        switch message.to {
        case .email(let address): recipient = address
        case .phone(let number):
            guard let smsDomain else { throw GuardlineError(.unavailable, "No email-to-SMS gateway is configured (GUARDLINE_SMTP_URL ?sms=).") }
            recipient = number.filter(\.isNumber) + "@" + smsDomain
        }
        guard Self.isPlainAddress(recipient) else { throw GuardlineError.invalid("The recipient's address cannot be written in an SMTP envelope.") }
        let text = Self.compose(message, from: from, to: recipient, date: Date())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await send(text, to: recipient) }
            group.addTask {
                try await Task.sleep(for: Self.timeout)
                throw GuardlineError(.unavailable, "The SMTP relay \(host):\(port) did not answer within \(Self.timeout).")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func send(_ text: String, to recipient: String) async throws {
        let host = host, tls = tls
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: host))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplies(inbound.makeAsyncIterator())
            func say(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            try await replies.expect(220)
            try await say("EHLO guardline")
            try await replies.expect(250)
            if let username, let password {
                let plain = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                try await say("AUTH PLAIN \(plain)")
                try await replies.expect(235)
            }
            try await say("MAIL FROM:<\(from)>")
            try await replies.expect(250)
            try await say("RCPT TO:<\(recipient)>")
            try await replies.expect(250, 251)
            try await say("DATA")
            try await replies.expect(354)
            try await outbound.write(ByteBuffer(string: text + "\r\n.\r\n"))
            try await replies.expect(250)
            try await say("QUIT")
        }
    }

    /// An address with nothing an envelope or header could be split on.
    static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.count <= 254
            && address.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
    }

    /// The message as sent: UTF-8 subject in RFC 2047 form, body in base64 (so no line of
    /// the text can end the DATA section or be taken for a header).
    static func compose(_ message: OutboundMessage, from: String, to: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let subject = "=?UTF-8?B?" + Data(message.subject.utf8).base64EncodedString() + "?="
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)", "To: \(to)", "Subject: \(subject)", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@guardline>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", body,
        ].joined(separator: "\r\n")
    }
}

/// The relay's replies, line by line: a reply is one or more lines `250-...`, the last `250 ...`.
struct SMTPReplies {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

    mutating func expect(_ codes: Int...) async throws {
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw GuardlineError(.unavailable, "The SMTP relay answered something that is not SMTP.")
            }
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard codes.contains(code) else {
                // The relay's words, cut short: they name no recipient we did not give it.
                throw GuardlineError(.unavailable, "The SMTP relay refused the message (\(code)).")
            }
            return
        }
    }

    mutating func nextLine() async throws -> String {
        while true {
            if let end = pending.firstIndex(of: 10) {
                var line = Array(pending[..<end])
                pending.removeFirst(end + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 4096 else { throw GuardlineError(.unavailable, "The SMTP relay sent an overlong line.") }
            guard let buffer = try await iterator.next() else { throw GuardlineError(.unavailable, "The SMTP relay closed the connection.") }
            pending += buffer.readableBytesView
        }
    }
}
