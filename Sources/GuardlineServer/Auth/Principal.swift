import Foundation
import GuardlineCore
import GuardlineStore

/// The person (or integration) a request acts for, resolved once per request
/// from the bearer token or the console session.
public struct Principal: Sendable {
    public enum Credential: Sendable, Equatable {
        case session
        case loginToken(APITokenID)
        case integrationToken(APITokenID)
    }

    public let user: StaffUser
    public let authorization: Authorization
    public let credential: Credential
    /// When the bearer token this request came with expires (nil for a console session):
    /// a token it creates may not outlive it.
    public let credentialExpiresAt: Date?

    public init(user: StaffUser, authorization: Authorization, credential: Credential, credentialExpiresAt: Date? = nil) {
        self.user = user
        self.authorization = authorization
        self.credential = credential
        self.credentialExpiresAt = credentialExpiresAt
    }

    public var orgID: OrganizationID { user.orgID }
    public var profile: AccessProfile { authorization.profile }

    /// Who the audit names: the person, or the integration token acting for them.
    public var auditActor: AuditActor {
        switch credential {
        case .session, .loginToken: .user(user.id)
        case .integrationToken(let id): .token(id, for: user.id)
        }
    }

    /// The principal as the separation-of-duties rules see it.
    public var dutyActor: SeparationOfDuties.Actor { .init(user: user, heldProfile: profile.id, profile: profile) }

    public func require(_ capability: Capability, to action: String) throws {
        guard authorization.has(capability) else {
            throw GuardlineError.forbidden("Your access profile does not allow you to \(action) (needs the '\(capability.rawValue)' capability).")
        }
    }

    /// The task-local principal of the current API request, set by the authentication middleware.
    @TaskLocal public static var current: Principal?

    /// The current principal, or 401.
    public static func required() throws -> Principal {
        guard let principal = current else {
            throw GuardlineError(.unauthorized, "Sign in first: send 'Authorization: Bearer <token>' with a token from POST /api/v1/auth/login.")
        }
        return principal
    }
}
