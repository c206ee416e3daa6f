import Hummingbird

/// The request context: Hummingbird's core storage plus the console session,
/// resolved by `ConsoleSessionMiddleware` for console routes.
public struct GuardlineRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in console user and the session's CSRF token.
    var console: (principal: Principal, csrf: String, cookie: String)?
    /// The connection's remote IP address (a proxy's, behind one: see `RequestOriginMiddleware`).
    let peerAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.console = nil
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are collected by `BodyLimitMiddleware`, which enforces the configured limit.
    public var maxUploadSize: Int { 1024 * 1024 }
}
