import Foundation
import GuardlineAPI
import GuardlineCore
import OpenAPIRuntime

/// OpenDSR (OpenGDPR 1.0): an upstream controller or privacy platform submits access,
/// portability and erasure requests and follows them, in that specification's words.
extension APIController {
    static let openDSRVersion = "1.0"

    func openDSRDiscovery(_ input: Operations.OpenDSRDiscovery.Input) async throws -> Operations.OpenDSRDiscovery.Output {
        let principal = try Principal.required()
        try services.requests.requireHandler(principal)
        return .ok(.init(body: .json(.init(
            apiVersion: Self.openDSRVersion,
            supportedIdentities: [.init(identityType: "email", identityFormat: "raw"), .init(identityType: "controller_customer_id", identityFormat: "raw")],
            supportedSubjectRequestTypes: ["access", "portability", "erasure"]))))
    }

    func openDSRCreate(_ input: Operations.OpenDSRCreate.Input) async throws -> Operations.OpenDSRCreate.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        if let regulation = body.regulation, regulation.lowercased() != "gdpr" {
            throw GuardlineError.invalid("Guardline answers requests under the GDPR only ('regulation': 'gdpr').")
        }
        // The controller's id goes into the audit chain: a UUID, never free text.
        guard let externalID = UUID(uuidString: body.subjectRequestId)?.uuidString.lowercased() else {
            throw GuardlineError.invalid("'subject_request_id' must be a UUID.")
        }

        let identities = try body.subjectIdentities.map { identity -> RequestDesk.UpstreamIdentity in
            guard identity.identityFormat == "raw" else {
                throw GuardlineError.invalid("Identities are matched in 'raw' format only: hashed ones cannot be matched against keyed indexes.")
            }
            guard let value = identity.identityValue, !value.isEmpty else { throw GuardlineError.invalid("Each identity needs its identity_value.") }
            switch identity.identityType {
            case "email": return .email(value)
            case "controller_customer_id": return .customer(value)
            default: throw GuardlineError.invalid("Supported identity types: email, controller_customer_id.")
            }
        }
        let kind = RequestKind(rawValue: body.subjectRequestType.rawValue)!
        let view = try await services.requests.fileUpstream(
            kind, identities: identities, externalID: externalID, submittedAt: body.submittedTime, by: principal)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .created(.init(body: .json(.init(
            controllerId: principal.orgID.description, expectedCompletionTime: view.request.dueAt, receivedTime: view.request.receivedAt,
            encodedRequest: try encoder.encode(body).base64EncodedString(), subjectRequestId: externalID,
            guardlineRequestId: view.request.id.description))))
    }

    func openDSRStatus(_ input: Operations.OpenDSRStatus.Input) async throws -> Operations.OpenDSRStatus.Output {
        let principal = try Principal.required()
        let view = try await services.requests.upstream(try Self.upstreamID(input.path.subjectRequestId), by: principal)
        return .ok(.init(body: .json(Self.openDSRStatus(view.request, org: principal.orgID))))
    }

    func openDSRCancel(_ input: Operations.OpenDSRCancel.Input) async throws -> Operations.OpenDSRCancel.Output {
        let principal = try Principal.required()
        let external = try Self.upstreamID(input.path.subjectRequestId)
        let view = try await services.requests.upstream(external, audited: false, by: principal)
        _ = try await services.requests.cancel(view.request.id, by: principal)
        return .accepted(.init(body: .json(.init(
            controllerId: principal.orgID.description, subjectRequestId: external, receivedTime: services.clock.now,
            apiVersion: Self.openDSRVersion))))
    }

    /// A path's `subject_request_id`: a UUID, or no such request.
    static func upstreamID(_ raw: String) throws -> String {
        guard let id = UUID(uuidString: raw) else { throw GuardlineError.notFound("The request") }
        return id.uuidString.lowercased()
    }

    static func openDSRStatus(_ request: SubjectRequest, org: OrganizationID) -> Components.Schemas.OpenDSRStatus {
        let status: Components.Schemas.OpenDSRStatus.RequestStatusPayload = switch request.state {
        case .received, .verifyingIdentity: .pending
        case .inProgress, .awaitingApproval: .inProgress
        case .completed: .completed
        case .rejected, .cancelled: .cancelled
        }
        return .init(
            controllerId: org.description, expectedCompletionTime: request.dueAt, subjectRequestId: request.externalID ?? "",
            requestStatus: status, apiVersion: openDSRVersion, guardlineState: request.state.rawValue)
    }
}
