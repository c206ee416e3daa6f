import Foundation
import GuardlineCore
import GuardlineCrypto
import Hummingbird

/// Sign-in and sign-out of the console. The login form is protected by a
/// double-submit CSRF cookie, since there is no session yet.
struct LoginController {
    typealias Context = GuardlineRequestContext
    static let csrfCookie = "gl_login_csrf"

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to router: Router<Context>) {
        router.get("/") { request, _ in
            ConsolePage.redirect(request.cookies[ConsoleCookies.sessionName] == nil ? "/login" : "/lookup")
        }
        router.get("/login") { _, _ in showLogin(email: "", error: nil) }
        router.post("/login") { request, context in try await login(request, context) }
    }

    func showLogin(email: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = TokenHasher.newToken()
        var response = views.render("login", LoginPage(csrf: csrf, email: email, error: error), status: status)
        response.setCookie(cookie(Self.csrfCookie, csrf, maxAge: 3600, path: "/login"))
        return response
    }

    func login(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await FormBody(request)
        guard let sent = form["_csrf"], let expected = request.cookies[Self.csrfCookie]?.value,
              ConsoleSessionMiddleware.constantTimeEqual(sent, expected)
        else {
            return showLogin(email: "", error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        let email = form.text("email") ?? ""
        do {
            let user = try await services.authenticator.signIn(email: email, password: form["password"] ?? "", channel: "console")
            let session = try await services.authenticator.startSession(for: user)
            var response = ConsolePage.redirect("/lookup")
            response.setCookie(cookie(ConsoleCookies.sessionName, session.cookie, maxAge: nil, path: "/"))
            response.setCookie(cookie(Self.csrfCookie, "", maxAge: 0, path: "/login"))
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
