import Foundation
import NIOConcurrencyHelpers

/// The outbox while developing or demonstrating, when no SMTP relay is configured: each
/// message is appended whole to a file only its owner reads (`outbox.log` in the data
/// directory), and the console says that one was written, naming no one. The log proper
/// never sees a code or an address. Only with `--demo` or `GUARDLINE_OUTBOX=file`.
public struct DevelopmentOutbox: Outbox {
    public let path: String
    private let lock = NIOLock()

    public init(path: String) { self.path = path }

    public func deliver(_ message: OutboundMessage) async throws {
        let address = switch message.to {
        case .email(let email): email
        case .phone(let number): "sms:\(number)"
        }
        let entry = """
            ----- \(ISO8601DateFormatter().string(from: Date()))
            To: \(address)
            Subject: \(message.subject)

            \(message.body)

            """
        try lock.withLock {
            let manager = FileManager.default
            if !manager.fileExists(atPath: path) {
                guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(entry.utf8))
        }
        print("[outbox] a message was written to \(path) (development outbox: no SMTP relay configured, GUARDLINE_SMTP_URL)")
    }
}
