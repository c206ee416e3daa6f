import Foundation
import GuardlineCore
import GuardlineCrypto
import Hummingbird

/// Sign-in and sign-out of the console. The login form is protected by a
/// double-submit CSRF cookie, since there is no session yet.
struct LoginController {
    typealias Context = GuardlineRequestContext
    static let csrfCookie = "gl_login_csrf"
    /// The password step passed, the code step pending: a random value whose keyed hash names the challenge.
    static let challengeCookie = "gl_login_challenge"
    static let challengeLifetime: TimeInterval = 5 * 60

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to router: Router<Context>) {
        router.get("/") { request, _ in
            ConsolePage.redirect(request.cookies[ConsoleCookies.sessionName] == nil ? "/login" : "/lookup")
        }
        router.get("/login") { _, _ in showLogin(email: "", error: nil) }
        router.post("/login") { request, context in try await login(request, context) }
        router.get("/login/code") { _, _ in showCode(error: nil) }
        router.post("/login/code") { request, context in try await code(request, context) }
    }

    func showCode(error: String?, status: HTTPResponse.Status = .ok) -> Response {
        withLoginCSRF { csrf in views.render("login-code", LoginCodePage(csrf: csrf, error: error), status: status) }
    }

    /// A sign-in page with a fresh double-submit CSRF value, in the form and in a cookie.
    private func withLoginCSRF(_ page: (String) -> Response) -> Response {
        let csrf = TokenHasher.newToken()
        var response = page(csrf)
        response.setCookie(cookie(Self.csrfCookie, csrf, maxAge: 3600, path: "/login"))
        return response
    }

    /// Whether a sign-in form came back with the CSRF value its page set (no session exists yet).
    private func carriesLoginCSRF(_ form: FormBody, _ request: Request) -> Bool {
        guard let sent = form["_csrf"], let expected = request.cookies[Self.csrfCookie]?.value else { return false }
        return ConsoleSessionMiddleware.constantTimeEqual(sent, expected)
    }

    /// The second step: the code for the account whose password the challenge cookie vouches for.
    func code(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await FormBody(request)
        guard carriesLoginCSRF(form, request) else {
            return showLogin(email: "", error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        let hasher = services.ring.tokenHasher
        guard let token = request.cookies[Self.challengeCookie]?.value, token.count <= 200,
              let challenge = try await services.mfa.store.challenge(hash: hasher.hash(token), now: services.clock.now, lifetime: Self.challengeLifetime),
              let user = try await services.users.find(challenge.user, org: challenge.org), !user.disabled
        else { return showLogin(email: "", error: "The sign-in took too long; enter your password again.", status: .unauthorized) }
        do {
            try await services.mfa.verify(form.text("code") ?? "", for: user)
        } catch let error as GuardlineError where error.code == .unauthorized || error.code == .tooManyAttempts {
            var response = showCode(error: error.message, status: error.code == .tooManyAttempts ? .tooManyRequests : .unauthorized)
            if let retry = error.retryAfter { response.headers[.retryAfter] = String(retry) }
            return response
        }
        try await services.mfa.store.deleteChallenge(hash: hasher.hash(token))
        var response = try await startSession(user, secondFactor: true, next: "/lookup")
        response.setCookie(cookie(Self.challengeCookie, "", maxAge: 0, path: "/login"))
        return response
    }

    private func startSession(_ user: StaffUser, secondFactor: Bool, next: String) async throws -> Response {
        let session = try await services.authenticator.startSession(for: user)
        try await services.authenticator.recordSignIn(user, channel: "console", secondFactor: secondFactor)
        var response = ConsolePage.redirect(next)
        response.setCookie(cookie(ConsoleCookies.sessionName, session.cookie, maxAge: nil, path: "/"))
        response.setCookie(cookie(Self.csrfCookie, "", maxAge: 0, path: "/login"))
        return response
    }

    func showLogin(email: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        withLoginCSRF { csrf in views.render("login", LoginPage(csrf: csrf, email: email, error: error), status: status) }
    }

    func login(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await FormBody(request)
        guard carriesLoginCSRF(form, request) else {
            return showLogin(email: "", error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        let email = form.text("email") ?? ""
        do {
            let user = try await services.authenticator.signIn(email: email, password: form["password"] ?? "", channel: "console")
            let status = try await services.mfa.status(of: user)
            guard status.enrolled else {
                // Without two-step sign-in set up, a role that requires it is sent to set it up first.
                return try await startSession(user, secondFactor: false, next: status.required ? AccountConsoleController.path : "/lookup")
            }
            let token = TokenHasher.newToken()
            try await services.mfa.store.insertChallenge(hash: services.ring.tokenHasher.hash(token), user: user.id, org: user.orgID, at: services.clock.now)
            var response = ConsolePage.redirect("/login/code")
            response.setCookie(cookie(Self.challengeCookie, token, maxAge: Int(Self.challengeLifetime), path: "/login"))
            return response
        } catch let error as GuardlineError where error.code == .unauthorized || error.code == .tooManyAttempts {
            let status: HTTPResponse.Status = error.code == .tooManyAttempts ? .tooManyRequests : .unauthorized
            return showLogin(email: email.count <= 254 ? email : "", error: error.message, status: status)
        }
    }

    /// Sign-out is a form post (with the session's CSRF token), not a link.
    static func logout(_ request: Request, _ context: Context, services: GuardlineServices) async throws -> Response {
        let (principal, _, cookie) = try context.consoleUser()
        try await services.authenticator.endSession(cookie: cookie, principal: principal)
        var response = ConsolePage.redirect("/login")
        response.setCookie(ConsoleCookies.make(ConsoleCookies.sessionName, "", maxAge: 0, path: "/"))
        return response
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int?, path: String) -> Cookie {
        ConsoleCookies.make(name, value, maxAge: maxAge, path: path)
    }
}
