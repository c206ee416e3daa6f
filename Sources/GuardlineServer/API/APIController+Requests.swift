import Foundation
import GuardlineAPI
import GuardlineCore
import OpenAPIRuntime

/// Data subject requests, over the API.
extension APIController {
    func fileRequest(_ input: Operations.FileRequest.Input) async throws -> Operations.FileRequest.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        guard let contact = ContactID(body.contactId) else { throw GuardlineError.invalid("'contactId' must be a contact's id (a UUID).") }
        let view = try await services.requests.file(
            .init(kind: RequestKind(rawValue: body.kind.rawValue)!, contact: contact, channel: RequestChannel(rawValue: body.channel.rawValue)!,
                  purpose: try Self.bounded(body.purpose, "purpose", max: 64), changes: body.changes?.additionalProperties,
                  interaction: try Self.interactionID(body.interactionId), receivedAt: body.receivedAt),
            by: principal)
        return .created(.init(body: .json(Self.request(view))))
    }

    func listRequests(_ input: Operations.ListRequests.Input) async throws -> Operations.ListRequests.Output {
        let principal = try Principal.required()
        let limit = try Self.limit(input.query.limit)
        let page = try await services.requests.queue(after: try Self.cursor(input.query.cursor), limit: limit, by: principal)
        return .ok(.init(body: .json(.init(
            items: page.items.map(Self.request), open: page.open, overdue: page.overdue,
            nextCursor: page.items.count == limit ? page.items.last?.request.id.description : nil))))
    }

    func getRequest(_ input: Operations.GetRequest.Input) async throws -> Operations.GetRequest.Output {
        let principal = try Principal.required()
        let view = try await services.requests.get(
            try Self.id(input.path.requestId, "The request"), interaction: try Self.interactionID(input.query.interactionId), by: principal)
        return .ok(.init(body: .json(Self.request(view))))
    }

    func verifyRequest(_ input: Operations.VerifyRequest.Input) async throws -> Operations.VerifyRequest.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let view = try await services.requests.verify(
            try Self.id(input.path.requestId, "The request"), method: VerificationMethod(rawValue: body.method.rawValue)!,
            interaction: try Self.interactionID(body.interactionId), by: principal)
        return .ok(.init(body: .json(Self.request(view))))
    }

    func extendRequest(_ input: Operations.ExtendRequest.Input) async throws -> Operations.ExtendRequest.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let view = try await services.requests.extend(
            try Self.id(input.path.requestId, "The request"), months: body.months, reason: ExtensionReason(rawValue: body.reason.rawValue)!, by: principal)
        return .ok(.init(body: .json(Self.request(view))))
    }

    func rejectRequest(_ input: Operations.RejectRequest.Input) async throws -> Operations.RejectRequest.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let view = try await services.requests.reject(
            try Self.id(input.path.requestId, "The request"), reason: RejectionReason(rawValue: body.reason.rawValue)!, by: principal)
        return .ok(.init(body: .json(Self.request(view))))
    }

    func cancelRequest(_ input: Operations.CancelRequest.Input) async throws -> Operations.CancelRequest.Output {
        let principal = try Principal.required()
        return .ok(.init(body: .json(Self.request(try await services.requests.cancel(try Self.id(input.path.requestId, "The request"), by: principal)))))
    }

    func fulfilRequest(_ input: Operations.FulfilRequest.Input) async throws -> Operations.FulfilRequest.Output {
        let principal = try Principal.required()
        let ground = input.query.ground.flatMap { RestrictionGround(rawValue: $0.rawValue) }
        let view = try await services.requests.fulfil(try Self.id(input.path.requestId, "The request"), ground: ground, by: principal)
        return .ok(.init(body: .json(Self.request(view))))
    }

    func listContactRequests(_ input: Operations.ListContactRequests.Input) async throws -> Operations.ListContactRequests.Output {
        let principal = try Principal.required()
        let views = try await services.requests.forContact(
            try Self.id(input.path.contactId, "The contact"), interaction: try Self.interactionID(input.query.interactionId), by: principal)
        return .ok(.init(body: .json(.init(items: views.map(Self.request)))))
    }

    static func request(_ view: RequestDesk.View) -> Components.Schemas.SubjectRequest {
        let r = view.request
        return .init(
            id: r.id.description, kind: .init(rawValue: r.kind.rawValue)!, contactId: r.contactID.description,
            channel: .init(rawValue: r.channel.rawValue)!, state: .init(rawValue: r.state.rawValue)!, receivedAt: r.receivedAt, dueAt: r.dueAt,
            overdue: view.overdue, dueSoon: view.dueSoon, extended: r.extended.map { .init(rawValue: $0.rawValue)! },
            verification: r.verification.map { .init(rawValue: $0.rawValue)! }, verifiedAt: r.verifiedAt, duplicateOf: r.duplicateOf?.description,
            rejection: r.rejection.map { .init(rawValue: $0.rawValue)! }, purpose: r.purpose, changedFields: view.changedFields, closedAt: r.closedAt,
            proposedChanges: view.proposedChanges.map { .init(additionalProperties: $0) }, verifiedBy: r.verifiedBy)
    }
}

extension APIController {
    func exportRequest(_ input: Operations.ExportRequest.Input) async throws -> Operations.ExportRequest.Output {
        let principal = try Principal.required()
        let package = try await services.requests.export(try Self.id(input.path.requestId, "The request"), by: principal)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"\(package.filename)\""),
                         body: .applicationZip(HTTPBody(package.bytes))))
    }
}

/// Erasure holds, over the API.
extension APIController {
    func listHolds(_ input: Operations.ListHolds.Input) async throws -> Operations.ListHolds.Output {
        let principal = try Principal.required()
        let holds = try await services.contacts.holds(of: try Self.id(input.path.contactId, "The contact"), by: principal)
        let now = services.clock.now
        return .ok(.init(body: .json(.init(items: holds.map { Self.hold($0, at: now) }))))
    }

    func placeHold(_ input: Operations.PlaceHold.Input) async throws -> Operations.PlaceHold.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let hold = try await services.contacts.placeHold(
            on: try Self.id(input.path.contactId, "The contact"), ground: ErasureHold.Ground(rawValue: body.ground.rawValue)!,
            fields: body.fields ?? [], until: body.until, by: principal)
        return .created(.init(body: .json(Self.hold(hold, at: services.clock.now))))
    }

    func liftHold(_ input: Operations.LiftHold.Input) async throws -> Operations.LiftHold.Output {
        let principal = try Principal.required()
        guard let hold = UUID(uuidString: input.path.holdId) else { throw GuardlineError.notFound("The hold") }
        let lifted = try await services.contacts.liftHold(hold, on: try Self.id(input.path.contactId, "The contact"), by: principal)
        return .ok(.init(body: .json(Self.hold(lifted, at: services.clock.now))))
    }

    static func hold(_ hold: ErasureHold, at now: Date) -> Components.Schemas.ErasureHold {
        .init(
            id: hold.id.uuidString.lowercased(), contactId: hold.contactID.description, ground: .init(rawValue: hold.ground.rawValue)!,
            groundLabel: hold.ground.label, fields: hold.fields, until: hold.until, placedBy: hold.placedBy, placedAt: hold.placedAt,
            liftedAt: hold.liftedAt, liftedBy: hold.liftedBy, active: hold.isActive(at: now))
    }
}
