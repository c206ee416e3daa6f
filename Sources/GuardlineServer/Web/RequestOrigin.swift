import Foundation
import HTTPTypes
import Hummingbird

/// Where a request came from, as far as the server can tell: the peer's address,
/// or behind a configured proxy the client address it forwarded, and whether the
/// client's connection was TLS. Set for every request by `RequestOriginMiddleware`;
/// sign-in throttling counts attempts per address, cookies turn `Secure` under TLS.
public struct RequestOrigin: Sendable {
    public var address: String?
    public var tls: Bool

    public init(address: String?, tls: Bool) {
        self.address = address
        self.tls = tls
    }

    @TaskLocal public static var current = RequestOrigin(address: nil, tls: false)
}

/// Resolves `RequestOrigin` once per request. Forwarded headers are believed only
/// from the proxy addresses the operator named (`--trusted-proxy`): anyone else
/// could write them to dodge the throttle or to claim TLS.
struct RequestOriginMiddleware: RouterMiddleware {
    typealias Context = GuardlineRequestContext

    let serverTLS: Bool
    let trustedProxies: Set<String>
    /// Every client reaches us through a TLS-terminating proxy (`--trust-proxy-tls`).
    let trustProxyTLS: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var origin = RequestOrigin(address: context.peerAddress, tls: serverTLS || trustProxyTLS)
        if let peer = context.peerAddress, trustedProxies.contains(peer) {
            if let forwarded = request.headers[.xForwardedFor],
               let client = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !client.isEmpty, client.count <= 64 {
                origin.address = client
            }
            if request.headers[.xForwardedProto]?.lowercased() == "https" { origin.tls = true }
        }
        return try await RequestOrigin.$current.withValue(origin) { try await next(request, context) }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
