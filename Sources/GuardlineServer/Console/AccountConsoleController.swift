import Foundation
import GuardlineCore
import Hummingbird

/// A person's own two-step sign-in: the set-up page (QR code drawn here as SVG,
/// the key to type by hand, the confirmation code) and the recovery codes, shown once.
struct AccountConsoleController {
    typealias Context = GuardlineRequestContext
    static let path = "/account/mfa"

    let services: GuardlineServices
    let views: ConsoleViews

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(RouterPath(stringLiteral: Self.path)) { _, context in try await show(context, error: nil) }
        group.post(RouterPath(stringLiteral: Self.path)) { request, context in try await confirm(request, context) }
    }

    private func show(_ context: Context, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let state = try await services.mfa.status(of: principal.user)
        let enrolment = state.enrolled ? nil : try await services.mfa.beginEnrolment(for: principal.user)
        return views.render("account-mfa", MFAPage(
            chrome: Chrome(principal, csrf: csrf, current: Self.path), status: state,
            recoveryLeft: try await services.mfa.store.unusedRecoveryCodes(user: principal.user.id), enrolment: enrolment,
            error: error), status: status)
    }

    private func confirm(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            // Whoever turns it on must know the password, not merely hold a session or glimpse the key.
            try await services.authenticator.confirmPassword(form["password"] ?? "", of: principal.user)
            let codes = try await services.mfa.confirmEnrolment(for: principal.user, code: form.text("code") ?? "")
            // Every session and login token from before (password only) ends: sign in again, with the code.
            try await services.credentials.revokeAll(user: principal.user.id, now: services.clock.now)
            services.bearers.invalidateAll()
            return views.render("account-mfa", MFAPage(
                chrome: Chrome(principal, csrf: csrf, current: Self.path),
                status: .init(enrolled: true, required: try await services.mfa.status(of: principal.user).required),
                recoveryLeft: codes.count, enrolment: nil, recoveryCodes: codes))
        } catch let failure as GuardlineError where failure.code == .invalidInput || failure.code == .conflict || failure.code == .forbidden {
            return try await show(context, error: failure.message, status: failure.code == .forbidden ? .forbidden : .badRequest)
        }
    }
}
