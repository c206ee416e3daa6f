import Foundation
import GuardlineCore

#if canImport(Glibc)
import Glibc
#endif

/// A second witness for signed checkpoints: each one sent as a syslog message
/// (RFC 5424, facility "log audit") to the local daemon or a log host, which
/// keeps it where whoever controls Guardline's machine cannot unwrite it. The
/// message text is the witness file's line (`v1 org seq hash signature`), so a
/// log host's copy can be checked like the file. Sent without waiting: a log
/// host that is down costs a counted failure, never an audited action.
public struct SyslogWitness: Sendable {
    public enum Destination: Sendable, Equatable {
        /// A local daemon's datagram socket, usually `/dev/log`.
        case unix(path: String)
        /// A log host over UDP (port 514 by default).
        case udp(host: String, port: UInt16)
    }

    public let destination: Destination
    private let hostname: String

    /// `unix:/dev/log`, `udp://loghost:514` or `udp://192.0.2.10`.
    public init(_ text: String) throws {
        if text.hasPrefix("unix:"), text.count > 5 {
            destination = .unix(path: String(text.dropFirst(5)))
        } else if text.hasPrefix("udp://"), let url = URLComponents(string: text), let host = url.host, !host.isEmpty,
                  url.path.isEmpty || url.path == "/", (url.port ?? 514) > 0, (url.port ?? 514) < 65536 {
            destination = .udp(host: host, port: UInt16(url.port ?? 514))
        } else {
            throw GuardlineError.invalid("The syslog witness must be unix:/path/to/socket or udp://host[:port], not '\(text)'.")
        }
        var name = [CChar](repeating: 0, count: 256)
        hostname = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "-"
    }

    /// The RFC 5424 message for one checkpoint line.
    func message(_ line: String, at date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // <110>: facility 13 (log audit) × 8 + severity 6 (informational).
        return "<110>1 \(formatter.string(from: date)) \(hostname) guardline \(getpid()) audit-checkpoint - \(line)"
    }

    /// Sends one datagram per checkpoint.
    public func send(_ checkpoints: [AuditWitness.Checkpoint], at date: Date = Date()) throws {
        guard !checkpoints.isEmpty else { return }
        let descriptor: Int32
        var address = sockaddr_storage()
        var length: socklen_t
        switch destination {
        case .unix(let path):
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var unixAddress = sockaddr_un()
            unixAddress.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: unixAddress.sun_path) else { throw Self.failed("socket path too long") }
            withUnsafeMutableBytes(of: &unixAddress.sun_path) { $0.copyBytes(from: bytes + [0]) }
            length = socklen_t(MemoryLayout<sockaddr_un>.size)
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: withUnsafeBytes(of: unixAddress) { Array($0) }) }
        case .udp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { throw Self.failed("cannot resolve \(host)") }
            defer { freeaddrinfo(found) }
            descriptor = socket(first.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
            length = first.pointee.ai_addrlen
            withUnsafeMutableBytes(of: &address) { $0.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(length))) }
        }
        guard descriptor >= 0 else { throw Self.failed(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        for checkpoint in checkpoints {
            let bytes = Array(message(AuditWitness.line(checkpoint), at: date).utf8)
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                    bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), target, length) }
                }
            }
            guard sent == bytes.count else { throw Self.failed(String(cString: strerror(errno))) }
        }
    }

    private static func failed(_ why: String) -> GuardlineError {
        GuardlineError(.unavailable, "Could not send a checkpoint to the syslog witness (\(why)).")
    }
}
