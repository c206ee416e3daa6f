import Foundation
import GuardlineCore
import Hummingbird

/// Console authentication: resolves the session cookie into a principal,
/// sends anyone without one to the login page, and checks the CSRF token of
/// every form post against the session's.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = GuardlineRequestContext

    let authenticator: Authenticator
    let mfa: StaffMFA

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let cookie = request.cookies[ConsoleCookies.sessionName]?.value,
              let (principal, csrf) = try await authenticator.session(cookie: cookie)
        else {
            return ConsolePage.redirect("/login")
        }
        // A role that requires two-step sign-in reaches nothing but its set-up until it is on.
        if request.uri.path != AccountConsoleController.path, request.uri.path != "/logout" {
            let status = try await mfa.status(of: principal.user)
            if status.required, !status.enrolled { return ConsolePage.redirect(AccountConsoleController.path) }
        }
        var context = context
        context.console = (principal, csrf, cookie)
        var request = request
        if request.uri.path == BodyLimitMiddleware<Context>.importPath, request.method == .post {
            // A file of megabytes is read only for someone who may import it; the body limit middleware left it unread.
            try principal.require(.importContacts, to: "import contacts in bulk")
        }
        if request.method == .post {
            // The body limit middleware already bounded it (notices and imports may be longer than other forms).
            let limit = BodyLimitMiddleware<Context>.limit(for: request.uri.path, standard: 64 * 1024)
            let buffer = try await request.collectBody(upTo: limit)
            request.body = .init(buffer: buffer)
            let form = try await FormBody(request, upTo: limit)
            guard let sent = form["_csrf"], Self.constantTimeEqual(sent, csrf) else {
                throw GuardlineError.forbidden("The form expired or did not come from this console; reload the page and try again.")
            }
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension GuardlineRequestContext {
    /// The console principal; the session middleware guarantees it on console routes.
    func consoleUser() throws -> (principal: Principal, csrf: String, cookie: String) {
        guard let console else { throw GuardlineError(.unauthorized, "Sign in to the console first.") }
        return console
    }
}
