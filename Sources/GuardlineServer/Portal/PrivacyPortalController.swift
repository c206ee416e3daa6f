import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import HTTPTypes
import Hummingbird

/// The privacy portal's pages, public and without staff login: `/privacy/{organization}`
/// asks for an address, sends a code, and opens the person's page. Every action goes
/// through `PrivacyPortal`, `ConsentDesk` and `RequestDesk`, the rules staff work under.
struct PrivacyPortalController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews

    var portal: PrivacyPortal { services.portal }

    static let cookiePath = "/privacy"
    static var sessionCookie: String { ConsoleCookies.secure ? "__Secure-gl_portal" : "gl_portal" }
    static let languageCookie = "gl_lang"
    /// Before a session exists, forms carry a double-submit value, also set as this cookie.
    static let formCookie = "gl_portal_csrf"

    func addRoutes(to router: Router<Context>) {
        router.get("/privacy") { _, _ in try await directory() }
        router.get("/privacy/:org") { request, context in try await start(request, context) }
        router.post("/privacy/:org/code") { request, context in try await sendCode(request, context) }
        router.get("/privacy/:org/code") { request, context in try await codePage(request, context) }
        router.post("/privacy/:org/verify") { request, context in try await verify(request, context) }
        router.get("/privacy/:org/me") { request, context in try await home(request, context) }
        router.post("/privacy/:org/consents") { request, context in try await consent(request, context) }
        router.post("/privacy/:org/requests") { request, context in try await file(request, context) }
        router.get("/privacy/:org/requests/:id/export") { request, context in try await export(request, context) }
        router.post("/privacy/:org/signout") { request, context in try await signOut(request, context) }
    }

    // MARK: Before the code

    /// With one organization the portal is its portal; with several, each publishes its own link.
    private func directory() async throws -> Response {
        let all = try await services.organizations.all()
        if all.count == 1 { return ConsolePage.redirect("/privacy/\(all[0].id)") }
        return ConsolePage.error(status: .notFound, detail: "Use the privacy portal link your organization gave you.")
    }

    private func start(_ request: Request, _ context: Context, error: String? = nil, address: String = "",
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let (org, language) = try await setting(request, context)
        if error == nil, try await session(request, org: org) != nil { return ConsolePage.redirect("/privacy/\(org.id)/me") }
        let notice = request.uri.queryParameters["ended"] != nil ? language.text(.sessionEnded) : nil
        return remember(language, withFormToken { token in
            views.render("portal-start", PortalStartPage(
                chrome: PortalChrome(language, org: org, path: "/privacy/\(org.id)", error: error ?? notice), csrf: token, address: address), status: status)
        })
    }

    private func sendCode(_ request: Request, _ context: Context) async throws -> Response {
        let (org, language) = try await setting(request, context)
        let form = try await FormBody(request)
        let typed = form["address"] ?? ""
        guard carriesFormToken(form, request) else {
            return try await start(request, context, error: language.text(.formExpired), address: String(typed.prefix(254)), status: .badRequest)
        }
        do {
            let sent = try await portal.sendCode(to: typed, org: org.id, source: RequestOrigin.current.address, language: language)
            return ConsolePage.redirect("/privacy/\(org.id)/code?c=\(sent.challenge)")
        } catch let error as GuardlineError where error.code == .invalidInput || error.code == .tooManyAttempts {
            var response = try await start(request, context, error: error.message, address: String(typed.prefix(254)),
                                           status: error.code == .invalidInput ? .badRequest : .tooManyRequests)
            if let retry = error.retryAfter { response.headers[.retryAfter] = String(retry) }
            return response
        }
    }

    private func codePage(_ request: Request, _ context: Context, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (org, language) = try await setting(request, context)
        let challenge = request.uri.queryParameters["c"].map(String.init) ?? ""
        return codeForm(org, language, challenge: challenge, error: error, status: status)
    }

    private func codeForm(_ org: Organization, _ language: PortalLanguage, challenge: String, error: String?, status: HTTPResponse.Status) -> Response {
        withFormToken { token in
            views.render("portal-code", PortalCodePage(
                chrome: PortalChrome(language, org: org, path: "/privacy/\(org.id)/code?c=\(challenge)", error: error), csrf: token,
                challenge: challenge), status: status)
        }
    }

    private func verify(_ request: Request, _ context: Context) async throws -> Response {
        let (org, language) = try await setting(request, context)
        let form = try await FormBody(request)
        let challenge = form["c"] ?? ""
        guard carriesFormToken(form, request) else {
            return codeForm(org, language, challenge: challenge, error: language.text(.formExpired), status: .badRequest)
        }
        guard let (cookie, _) = try await portal.signIn(challenge: challenge, code: form["code"] ?? "", org: org.id, language: language) else {
            return codeForm(org, language, challenge: challenge, error: language.text(.wrongCode), status: .badRequest)
        }
        var response = ConsolePage.redirect("/privacy/\(org.id)/me")
        response.setCookie(ConsoleCookies.make(Self.sessionCookie, cookie, maxAge: Int(PrivacyPortal.sessionLifetime), path: Self.cookiePath))
        return response
    }

    // MARK: Signed in

    private func home(_ request: Request, _ context: Context) async throws -> Response {
        let (org, language) = try await setting(request, context)
        guard let session = try await session(request, org: org) else { return ConsolePage.redirect("/privacy/\(org.id)?ended=1") }
        if request.uri.queryParameters["lang"] != nil, language.rawValue != session.language { try await portal.setLanguage(language, of: session) }
        guard let overview = try await portal.overview(session) else { return try await end(session, org: org) }
        let flash: String? = switch request.uri.queryParameters["done"].map(String.init) {
        case "consent": language.text(.consentSaved)
        case "request": overview.requests.first.map { "\(language.text(.requestFiled)) \(RequestDeadline.day($0.request.dueAt))." }
        default: nil
        }
        let error = request.uri.queryParameters["error"].map(String.init).flatMap { Self.errors[$0] }.map(language.text)
        let page = PortalHomePage(overview, chrome: PortalChrome(language, org: org, path: "/privacy/\(org.id)/me", error: error),
                                  language: language, csrf: session.csrf, flash: flash, now: services.clock.now)
        return remember(language, views.render("portal-home", page))
    }

    /// Errors a form sends back to the page, by name (the page is a redirect away).
    static let errors: [String: PortalLanguage.Key] = ["form": .formExpired, "request": .unknownRequest]

    private func consent(_ request: Request, _ context: Context) async throws -> Response {
        try await signedInForm(request, context) { form, session, org in
            guard let decision = ConsentDecision(rawValue: form["decision"] ?? ""), decision != .refused else {
                throw GuardlineError.invalid("Choose to give or to withdraw consent.")
            }
            try await portal.decide(decision, purpose: form["purpose"] ?? "", channel: form["channel"] ?? "", notice: form["notice"], session: session)
            return ConsolePage.redirect("/privacy/\(org.id)/me?done=consent")
        }
    }

    private func file(_ request: Request, _ context: Context) async throws -> Response {
        try await signedInForm(request, context) { form, session, org in
            guard let kind = RequestKind(rawValue: form["kind"] ?? "") else { throw GuardlineError.invalid("Choose what you want us to do.") }
            let purpose = kind == .objection ? form.text("purpose") : nil
            var changes: [String: String]?
            if kind == .rectification {
                guard let field = form.text("field"), let value = form.text("value") else {
                    throw GuardlineError.invalid("Say what to correct and its right value.")
                }
                changes = [field: value]
            }
            _ = try await services.requests.fileByPerson(kind, purpose: purpose, changes: changes, session: session)
            return ConsolePage.redirect("/privacy/\(org.id)/me?done=request")
        }
    }

    private func export(_ request: Request, _ context: Context) async throws -> Response {
        let (org, _) = try await setting(request, context)
        guard let session = try await session(request, org: org) else { return ConsolePage.redirect("/privacy/\(org.id)?ended=1") }
        guard let raw = context.parameters.get("id"), let id = SubjectRequestID(raw) else { throw GuardlineError.notFound("The request") }
        let package = try await services.requests.exportForPerson(id, session: session)
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(package.filename)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: package.bytes)))
    }

    private func signOut(_ request: Request, _ context: Context) async throws -> Response {
        try await signedInForm(request, context) { _, session, org in try await end(session, org: org) }
    }

    private func end(_ session: PortalStore.Session, org: Organization) async throws -> Response {
        try await portal.signOut(session)
        var response = ConsolePage.redirect("/privacy/\(org.id)")
        response.setCookie(ConsoleCookies.make(Self.sessionCookie, "", maxAge: 0, path: Self.cookiePath))
        return response
    }

    /// A form of a signed-in person: their session, its CSRF token checked. A refusal of
    /// what they asked comes back on their page; a session gone sends them to start again.
    private func signedInForm(
        _ request: Request, _ context: Context, _ act: (FormBody, PortalStore.Session, Organization) async throws -> Response
    ) async throws -> Response {
        let (org, language) = try await setting(request, context)
        let form = try await FormBody(request)
        guard let session = try await session(request, org: org) else { return ConsolePage.redirect("/privacy/\(org.id)?ended=1") }
        guard Self.sameSite(request), let sent = form["_csrf"], ConsoleSessionMiddleware.constantTimeEqual(sent, session.csrf) else {
            return ConsolePage.redirect("/privacy/\(org.id)/me?error=form")
        }
        do {
            return try await act(form, session, org)
        } catch let error as GuardlineError where error.code != .unavailable {
            guard let overview = try await portal.overview(session) else { return try await end(session, org: org) }
            let page = PortalHomePage(overview, chrome: PortalChrome(language, org: org, path: "/privacy/\(org.id)/me", error: error.message),
                                      language: language, csrf: session.csrf, flash: nil, now: services.clock.now)
            let status: HTTPResponse.Status = switch error.code {
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            default: .badRequest
            }
            return views.render("portal-home", page, status: status)
        }
    }

    // MARK: Shared

    /// The organization named in the path, and the language to speak.
    private func setting(_ request: Request, _ context: Context) async throws -> (Organization, PortalLanguage) {
        guard let raw = context.parameters.get("org"), let id = OrganizationID(raw), let org = try await services.organizations.find(id) else {
            throw GuardlineError.notFound("The privacy portal")
        }
        let language = PortalLanguage.pick(
            query: request.uri.queryParameters["lang"].map(String.init), cookie: request.cookies[Self.languageCookie]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
        return (org, language)
    }

    private func session(_ request: Request, org: Organization) async throws -> PortalStore.Session? {
        guard let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty else { return nil }
        return try await portal.session(cookie: cookie, org: org.id)
    }

    /// A page whose form carries a fresh double-submit value, in the form and in a cookie.
    /// The form's value is a keyed hash of the cookie's, so a cookie someone else planted
    /// (over plain HTTP, or from a sibling domain) comes with no form value that matches it.
    private func withFormToken(_ page: (String) -> Response) -> Response {
        let cookie = TokenHasher.newToken()
        var response = page(formToken(for: cookie))
        response.setCookie(ConsoleCookies.make(Self.formCookie, cookie, maxAge: 3600, path: Self.cookiePath))
        return response
    }

    private func carriesFormToken(_ form: FormBody, _ request: Request) -> Bool {
        guard Self.sameSite(request) else { return false }
        guard let sent = form["_csrf"], let cookie = request.cookies[Self.formCookie]?.value, cookie.count <= 128 else { return false }
        return ConsoleSessionMiddleware.constantTimeEqual(sent, formToken(for: cookie))
    }

    /// A browser says where a form came from (`Sec-Fetch-Site`): one posted from another site is
    /// refused, whatever cookie it carries (a cookie can be planted; this header cannot be forged by a page).
    static func sameSite(_ request: Request) -> Bool {
        guard let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] else { return true }
        return site == "same-origin" || site == "none"
    }

    private func formToken(for cookie: String) -> String { services.ring.tokenHasher.hash("portal-form|" + cookie).hex }

    /// The language chosen stays chosen for a year (a cookie naming it and nothing else).
    private func remember(_ language: PortalLanguage, _ response: Response) -> Response {
        var response = response
        response.setCookie(ConsoleCookies.make(Self.languageCookie, language.rawValue, maxAge: 365 * 86_400, path: Self.cookiePath))
        return response
    }
}
