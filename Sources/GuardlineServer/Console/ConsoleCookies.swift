import Hummingbird

/// The console's cookies, named and flagged in one place. When the client's
/// connection is TLS (ours, or a trusted proxy's: `RequestOrigin`) they are
/// `Secure`, and the session cookie takes the `__Host-` prefix, which browsers
/// accept only from a secure origin, for path `/` and without a domain, so no
/// plain-HTTP page or sibling subdomain can plant or overwrite it.
enum ConsoleCookies {
    static var secure: Bool { RequestOrigin.current.tls }

    static var sessionName: String { secure ? "__Host-gl_session" : "gl_session" }

    static func make(_ name: String, _ value: String, maxAge: Int?, path: String) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }
}
