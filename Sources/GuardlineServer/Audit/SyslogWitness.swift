import Foundation
import GuardlineCore

#if canImport(Glibc)
import Glibc
private let datagram = Int32(SOCK_DGRAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let datagram = SOCK_DGRAM
#endif

/// A second witness for signed checkpoints: each one sent as a syslog message
/// (RFC 5424, facility "log audit") to the local daemon or a log host, which
/// keeps it where whoever controls Guardline's machine cannot unwrite it. The
/// message text is the witness file's line (`v1 org seq hash signature`), so a
/// log host's copy can be checked like the file. The address is resolved and the
/// socket opened once, at start-up, and datagrams are sent without waiting: a
/// log host that is down or slow costs a counted failure, never an audited action
/// (UDP does not say whether a datagram arrived; a failure to send is counted).
public final class SyslogWitness: Sendable {
    public enum Destination: Sendable, Equatable {
        /// A local daemon's datagram socket, usually `/dev/log`.
        case unix(path: String)
        /// A log host over UDP (port 514 by default).
        case udp(host: String, port: UInt16)
    }

    public let destination: Destination
    private let hostname: String
    private let descriptor: Int32
    /// The resolved destination address, as `sendto` takes it.
    private let address: [UInt8]

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
        let family: Int32
        switch destination {
        case .unix(let path):
            var unixAddress = sockaddr_un()
            unixAddress.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: unixAddress.sun_path) else {
                throw GuardlineError.invalid("The syslog witness socket path is too long.")
            }
            withUnsafeMutableBytes(of: &unixAddress.sun_path) { $0.copyBytes(from: bytes + [0]) }
            address = withUnsafeBytes(of: unixAddress) { Array($0) }
            family = AF_UNIX
        case .udp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = datagram
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
                throw GuardlineError.invalid("The syslog witness host '\(host)' does not resolve.")
            }
            defer { freeaddrinfo(found) }
            address = Array(UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
            family = first.pointee.ai_family
        }
        descriptor = socket(family, datagram, 0)
        guard descriptor >= 0 else { throw GuardlineError(.unavailable, "Could not open a socket for the syslog witness.") }
        var name = [CChar](repeating: 0, count: 256)
        hostname = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "-"
    }

    deinit { close(descriptor) }

    /// The RFC 5424 message for one checkpoint line.
    func message(_ line: String, at date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // <110>: facility 13 (log audit) × 8 + severity 6 (informational).
        return "<110>1 \(formatter.string(from: date)) \(hostname) guardline \(getpid()) audit-checkpoint - \(line)"
    }

    /// Sends one datagram per checkpoint, never waiting for the receiver.
    public func send(_ checkpoints: [AuditWitness.Checkpoint], at date: Date = Date()) throws {
        for checkpoint in checkpoints {
            let bytes = Array(message(AuditWitness.line(checkpoint), at: date).utf8)
            let sent = address.withUnsafeBytes { target in
                bytes.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT),
                           target.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(target.count))
                }
            }
            guard sent == bytes.count else {
                throw GuardlineError(.unavailable, "Could not send a checkpoint to the syslog witness (\(String(cString: strerror(errno)))).")
            }
        }
    }
}
