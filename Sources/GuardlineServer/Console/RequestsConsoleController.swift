import Foundation
import GuardlineCore
import GuardlineStore
import Hummingbird

/// The data protection team's requests: the queue (overdue first, then due soonest) and
/// each request's page, where it is verified, extended, rejected, cancelled, carried
/// out, and its export package downloaded. Every action goes through `RequestDesk`, the
/// API's own rules.
struct RequestsConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews

    var desk: RequestDesk { services.requests }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/requests") { request, context in try await queue(request, context) }
        group.get("/requests/:id") { _, context in try await show(context, id: try id(context), flash: nil) }
        group.post("/requests/:id/:step") { request, context in try await act(request, context) }
        group.get("/requests/:id/export") { _, context in try await export(context) }
    }

    private func id(_ context: Context) throws -> SubjectRequestID {
        guard let raw = context.parameters.get("id"), let id = SubjectRequestID(raw) else { throw GuardlineError.notFound("The request") }
        return id
    }

    private func queue(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let after = try request.uri.queryParameters["after"].map { raw -> SubjectRequestID in
            guard let id = SubjectRequestID(String(raw)) else { throw GuardlineError.invalid("That page of the queue does not exist.") }
            return id
        }
        let page = try await desk.queue(after: after, limit: 50, by: principal)
        let references = try await ContactStore(services.data).references(page.items.map(\.request.contactID), org: principal.orgID)
        return views.render("requests", RequestsPage(
            chrome: Chrome(principal, csrf: csrf, current: "/requests"), open: page.open, overdue: page.overdue,
            rows: page.items.map { RequestFacts($0, reference: references[$0.request.contactID]?.description) },
            next: page.items.count == 50 ? page.items.last?.request.id.description : nil))
    }

    private func show(_ context: Context, id: SubjectRequestID, flash: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let view = try await desk.get(id, by: principal)
        let reference = try await ContactStore(services.data).references([view.request.contactID], org: principal.orgID)[view.request.contactID]
        let handles = principal.authorization.has(.handleRequests)
        // What an erasure must leave, for whoever decides it; a tombstone holds nothing to keep.
        var holds: [ErasureHold] = []
        if handles, view.request.kind == .erasure, try await services.contacts.contacts.find(view.request.contactID, org: principal.orgID) != nil {
            holds = try await services.contacts.holds(of: view.request.contactID, by: principal)
        }
        return views.render("request", RequestPage(
            chrome: Chrome(principal, csrf: csrf, current: "/requests", flash: flash), view, reference: reference?.description,
            handles: handles, holds: holds, now: services.clock.now), status: status)
    }

    /// One step, by the form's name for it; a refusal comes back on the request's page.
    private func act(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let id = try id(context)
        let form = try await FormBody(request)
        do {
            let message: String
            switch context.parameters.get("step") ?? "" {
            case "verify":
                guard let method = VerificationMethod(rawValue: form["method"] ?? "") else { throw GuardlineError.invalid("Choose how the person was recognised.") }
                _ = try await desk.verify(id, method: method, interaction: nil, by: principal)
                message = "Verified: \(method.label.lowercased())."
            case "extend":
                guard let months = Int(form["months"] ?? ""), let reason = ExtensionReason(rawValue: form["reason"] ?? "") else {
                    throw GuardlineError.invalid("Choose one or two months and the reason.")
                }
                let view = try await desk.extend(id, months: months, reason: reason, by: principal)
                message = "Extended: now due \(RequestDeadline.day(view.request.dueAt))."
            case "reject":
                guard let reason = RejectionReason(rawValue: form["reason"] ?? "") else { throw GuardlineError.invalid("Choose the reason.") }
                _ = try await desk.reject(id, reason: reason, by: principal)
                message = "Rejected."
            case "cancel":
                _ = try await desk.cancel(id, by: principal)
                message = "Cancelled."
            case "fulfil":
                let ground = (form["ground"]).flatMap { $0.isEmpty ? nil : RestrictionGround(rawValue: $0) }
                _ = try await desk.fulfil(id, ground: ground, by: principal)
                message = "Carried out."
            case "hold":
                guard let ground = ErasureHold.Ground(rawValue: form["ground"] ?? "") else { throw GuardlineError.invalid("Choose the ground.") }
                let fields = (form["fields"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                var until: Date?
                if let day = form.text("until") {
                    guard let date = ISO8601DateFormatter().date(from: day + "T23:59:59Z") else { throw GuardlineError.invalid("'Until' is a date.") }
                    until = date
                }
                let contact = try await desk.visible(id, by: principal).contactID
                _ = try await services.contacts.placeHold(on: contact, ground: ground, fields: fields, until: until, by: principal)
                message = "Hold placed: \(ground.label)."
            case "lift":
                guard let hold = UUID(uuidString: form["hold"] ?? "") else { throw GuardlineError.invalid("Choose the hold to lift.") }
                let contact = try await desk.visible(id, by: principal).contactID
                _ = try await services.contacts.liftHold(hold, on: contact, by: principal)
                message = "Hold lifted."
            default:
                throw GuardlineError.notFound("That step")
            }
            return try await show(context, id: id, flash: message)
        } catch let failure as GuardlineError where [.invalidInput, .conflict, .forbidden].contains(failure.code) {
            return try await show(context, id: id, flash: failure.message, status: failure.code == .forbidden ? .forbidden : .badRequest)
        }
    }

    private func export(_ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let package = try await desk.export(try id(context), by: principal)
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(package.filename)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: .init(bytes: package.bytes)))
    }
}

/// What every view of a request shows of it: the queue's row, the head of its page.
struct RequestFacts {
    let id: String
    let kind: String
    let contact: String
    let channel: String
    let state: String
    let received: String
    let due: String
    let overdue: Bool
    let dueSoon: Bool

    init(_ view: RequestDesk.View, reference: String?) {
        let r = view.request
        id = r.id.description
        kind = r.kind.label
        contact = reference ?? String(r.contactID.description.prefix(8))
        channel = r.channel.rawValue
        state = r.state.label
        received = RequestDeadline.day(r.receivedAt)
        due = RequestDeadline.day(r.dueAt)
        overdue = view.overdue
        dueSoon = view.dueSoon
    }
}

/// The queue, as the page shows it.
struct RequestsPage {
    let chrome: Chrome
    let open: Int
    let overdue: Int
    let rows: [RequestFacts]
    let next: String?
}

/// One request, with the forms for what may be done next.
struct RequestPage {
    struct Option {
        let value: String
        let label: String
    }

    struct Change {
        let field: String
        let value: String
    }

    let chrome: Chrome
    let facts: RequestFacts
    let article: String
    let contactID: String
    let verification: String?
    let extended: String?
    let rejection: String?
    let purpose: String?
    let duplicateOf: String?
    let changes: [Change]
    let handles: Bool
    let canVerify: Bool
    let canFulfil: Bool
    let isOpen: Bool
    let isRestriction: Bool
    let exportable: Bool
    let methods: [Option]
    let extensionReasons = ExtensionReason.allCases.map { Option(value: $0.rawValue, label: $0.label) }
    let rejectionReasons = RejectionReason.allCases.map { Option(value: $0.rawValue, label: $0.label) }
    let grounds = RestrictionGround.allCases.map { Option(value: $0.rawValue, label: $0.label) }
    let holdGrounds = ErasureHold.Ground.allCases.map { Option(value: $0.rawValue, label: $0.label) }

    struct Hold {
        let holdID: String
        let ground: String
        let fields: String
        let until: String
        let active: Bool
    }

    /// Erasure requests: the holds on the person, in force first.
    let holds: [Hold]
    let showsHolds: Bool

    init(chrome: Chrome, _ view: RequestDesk.View, reference: String?, handles: Bool, holds: [ErasureHold], now: Date) {
        let r = view.request
        self.chrome = chrome
        facts = RequestFacts(view, reference: reference)
        article = r.kind.article
        contactID = r.contactID.description
        verification = r.verification?.label
        extended = r.extended?.label
        rejection = r.rejection?.label
        purpose = r.kind == .objection ? (r.purpose ?? "direct marketing (every channel)") : nil
        duplicateOf = r.duplicateOf?.description
        changes = (view.proposedChanges ?? [:]).sorted { $0.key < $1.key }.map { Change(field: $0.key, value: $0.value) }
        self.handles = handles
        isOpen = r.state.isOpen
        canVerify = handles && (r.state == .received || r.state == .verifyingIdentity)
        canFulfil = handles && (r.state == .inProgress || r.state == .awaitingApproval)
        isRestriction = r.kind == .restriction
        exportable = handles && RequestDesk.downloadable(r) != nil
        self.holds = holds.sorted { $0.isActive(at: now) && !$1.isActive(at: now) }.map {
            Hold(holdID: $0.id.uuidString.lowercased(), ground: $0.ground.label, fields: $0.fields.isEmpty ? "everything" : $0.fields.joined(separator: ", "),
                 until: $0.until.map(RequestDeadline.day) ?? "lifted by hand", active: $0.isActive(at: now))
        }
        showsHolds = handles && r.kind == .erasure && r.state.isOpen
        methods = VerificationMethod.allCases.filter { !RequestVerification.portalMethods.contains($0) && ($0 != .upstreamController || r.channel == .api) }
            .map { Option(value: $0.rawValue, label: $0.label) }
    }
}
