import Foundation
import GuardlineCore
import Hummingbird

/// The agent's desk: the live screen pop (server-sent events), their open calls and chats,
/// logging an interaction on a contact's page and wrapping one up.
struct InteractionsConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews
    /// A live connection ends after this long; the browser reconnects, and its session is checked again.
    static let streamLifetime: Duration = .seconds(600)

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/desk") { _, context in try await desk(context) }
        group.get("/desk/events") { _, context in try await events(context) }
        group.post("/contacts/:id/interactions") { request, context in try await log(request, context) }
        group.post("/interactions/:id/wrap-up") { request, context in try await wrapUp(request, context) }
        group.get("/interactions/:id/recording") { _, context in try await play(context) }
        group.post("/interactions/:id/link") { request, context in try await link(request, context) }
    }

    /// "This is the caller": links the call to the contact, then opens it within the call.
    private func link(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        guard let raw = context.parameters.get("id"), let id = InteractionID(raw) else { throw GuardlineError.notFound("The interaction") }
        let form = try await FormBody(request)
        guard let contact = form.text("contact").flatMap(ContactID.init) else { throw GuardlineError.notFound("The contact") }
        do {
            _ = try await services.interactions.link(id, to: contact, by: principal)
            return ConsolePage.redirect("/contacts/\(contact)?interaction=\(id)")
        } catch let failure as GuardlineError where failure.code == .conflict {
            return views.render("desk", DeskPage(
                chrome: Chrome(principal, csrf: csrf, current: "/desk", flash: failure.message),
                open: try await services.interactions.open(by: principal).map { DeskPage.Row($0, viewer: principal.user.id) }), status: .conflict)
        }
    }

    /// The recording for the timeline's player: decrypted as it streams, the playback audited first.
    private func play(_ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        guard let raw = context.parameters.get("id"), let id = InteractionID(raw) else { throw GuardlineError.notFound("The recording") }
        let (recording, audio) = try await services.recordings.play(id, by: principal)
        let body = ResponseBody(contentLength: Int(recording.bytes)) { writer in
            for try await chunk in audio { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: recording.contentType.rawValue, .cacheControl: "no-store"], body: body)
    }

    private func desk(_ context: Context) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let open = try await services.interactions.open(by: principal)
        return views.render("desk", DeskPage(chrome: Chrome(principal, csrf: csrf, current: "/desk"), open: open.map { DeskPage.Row($0, viewer: principal.user.id) }))
    }

    /// Server-sent events: each pop is rendered for this viewer as their session stands at
    /// that moment (checked again: a signed-out or disabled user gets nothing more), by a read
    /// bound to the call and audited, and sent as JSON the page puts in place with
    /// `textContent`, never as HTML. A ping every 20 s finds a client that went away.
    private func events(_ context: Context) async throws -> Response {
        let (principal, _, cookie) = try context.consoleUser()
        let pops = services.calls.pops
        let user = principal.user.id
        let (id, signals) = await pops.listen(user)
        let services = self.services
        let body = ResponseBody { writer in
            let pinger = Task {
                let deadline = ContinuousClock.now + Self.streamLifetime
                while ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .seconds(20))
                    await pops.ping(id, user: user)
                }
                await pops.cancel(id, user: user)
            }
            defer { pinger.cancel() }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            for await signal in signals {
                let text: String
                switch signal {
                case .ping:
                    text = ": ping\n\n"
                case .pop(let pop):
                    guard let (current, _) = try? await services.authenticator.session(cookie: cookie), current.user.id == user else {
                        await pops.cancel(id, user: user)
                        continue
                    }
                    let card = await ScreenPopCard.render(pop, for: current, services: services)
                    guard let data = try? JSONEncoder().encode(card) else { continue }
                    text = "event: pop\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"
                }
                do {
                    try await writer.write(ByteBuffer(string: text))
                } catch {
                    break
                }
            }
            await pops.cancel(id, user: user)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    private func log(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        guard let raw = context.parameters.get("id"), let contact = ContactID(raw) else { throw GuardlineError.notFound("The contact") }
        let form = try await FormBody(request, upTo: BodyLimitMiddleware<Context>.interactionLimit)
        let interaction = form.text("interaction").flatMap(InteractionID.init)
        let contacts = ContactsConsoleController(services: services, views: views)
        do {
            guard let channel = InteractionChannel(rawValue: form.text("channel") ?? ""),
                  let direction = InteractionDirection(rawValue: form.text("direction") ?? "")
            else { throw GuardlineError.invalid("Choose a channel and a direction.") }
            _ = try await services.interactions.log(
                .init(channel: channel, direction: direction, content: InteractionContent(subject: form.text("subject"), body: form.text("body")),
                      disposition: form.text("disposition")),
                contact: contact, by: principal)
            return try await contacts.show(context, id: contact, interaction: interaction, flash: "Logged. Anything that looked like card, account or id numbers was masked before it was stored.")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await contacts.show(context, id: contact, interaction: interaction, flash: failure.message, status: .badRequest)
        }
    }

    private func wrapUp(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        guard let raw = context.parameters.get("id"), let id = InteractionID(raw) else { throw GuardlineError.notFound("The interaction") }
        let form = try await FormBody(request, upTo: BodyLimitMiddleware<Context>.interactionLimit)
        let view = try await services.interactions.wrapUp(
            id, notes: form.text("notes"), disposition: form.text("disposition"), close: form["close"] == "on", by: principal)
        guard let contact = view.interaction.contactID else { return ConsolePage.redirect("/desk") }
        return ConsolePage.redirect("/contacts/\(contact)" + (view.state == .closed ? "" : "?interaction=\(id)"))
    }
}

struct DeskPage {
    struct Row {
        let id: String
        let channel: String
        let state: String
        let queue: String?
        let contact: String?
        let started: String

        let mine: Bool

        /// Someone else's call (a supervisor's view of the team) links to the contact without it: it opens nothing for the viewer.
        init(_ interaction: Interaction, viewer: UserID) {
            id = interaction.id.description
            channel = interaction.channel.rawValue
            state = interaction.state.rawValue
            queue = interaction.queue
            let mine = interaction.agentID == viewer
            self.mine = mine
            contact = interaction.contactID.map { mine ? "/contacts/\($0)?interaction=\(interaction.id)" : "/contacts/\($0)" }
            started = ConsentPanel.time(interaction.startedAt)
        }
    }

    let chrome: Chrome
    let open: [Row]
}
