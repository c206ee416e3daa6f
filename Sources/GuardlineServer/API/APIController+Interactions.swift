import Foundation
import GuardlineAPI
import GuardlineCore
import OpenAPIRuntime

/// Interactions, the contact timeline and CTI events, over the API.
extension APIController {
    func logInteraction(_ input: Operations.LogInteraction.Input) async throws -> Operations.LogInteraction.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let content = InteractionContent(
            subject: body.subject, body: body.body, notes: body.notes,
            transcript: body.transcript?.map { TranscriptTurn(speaker: .init(rawValue: $0.speaker.rawValue)!, text: $0.text) })
        let view = try await services.interactions.log(
            .init(channel: .init(rawValue: body.channel.rawValue)!, direction: .init(rawValue: body.direction.rawValue)!,
                  live: body.live ?? false, content: content, disposition: body.disposition, queue: body.queue, agentEmail: body.agent),
            contact: try Self.id(input.path.contactId, "The contact"), by: principal)
        return .created(.init(body: .json(Self.interaction(view))))
    }

    func getTimeline(_ input: Operations.GetTimeline.Input) async throws -> Operations.GetTimeline.Output {
        let principal = try Principal.required()
        let limit = try Self.limit(input.query.limit)
        let cursor: InteractionID? = try Self.cursor(input.query.cursor)
        let reason = try Self.bounded(input.query.reason, "reason", max: 500)
        let timeline = try await services.interactions.timeline(
            try Self.id(input.path.contactId, "The contact"), by: principal, interaction: try Self.interactionID(input.query.interactionId),
            reason: reason, before: cursor, limit: limit)
        return .ok(.init(body: .json(.init(
            interactions: timeline.interactions.map(Self.interaction), consents: timeline.consents.map(Self.consent),
            nextCursor: timeline.next?.description))))
    }

    func listOpenInteractions(_ input: Operations.ListOpenInteractions.Input) async throws -> Operations.ListOpenInteractions.Output {
        let principal = try Principal.required()
        let open = try await services.interactions.open(by: principal)
        let now = services.clock.now
        return .ok(.init(body: .json(.init(items: open.map { Self.interaction(.init(interaction: $0, content: nil, withheld: $0.hasContent,
                                                                                      state: $0.state(at: now, wrapUp: services.configuration.wrapUp))) }))))
    }

    func getInteraction(_ input: Operations.GetInteraction.Input) async throws -> Operations.GetInteraction.Output {
        let principal = try Principal.required()
        let view = try await services.interactions.get(try Self.id(input.path.interactionId, "The interaction"), by: principal)
        return .ok(.init(body: .json(Self.interaction(view))))
    }

    func wrapUpInteraction(_ input: Operations.WrapUpInteraction.Input) async throws -> Operations.WrapUpInteraction.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let view = try await services.interactions.wrapUp(
            try Self.id(input.path.interactionId, "The interaction"), notes: body.notes, disposition: body.disposition,
            close: body.close ?? false, by: principal)
        return .ok(.init(body: .json(Self.interaction(view))))
    }

    func linkInteraction(_ input: Operations.LinkInteraction.Input) async throws -> Operations.LinkInteraction.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        guard let contact = ContactID(body.contactId) else { throw GuardlineError.invalid("'contactId' must be a contact's id (a UUID).") }
        let view = try await services.interactions.link(try Self.id(input.path.interactionId, "The interaction"), to: contact, by: principal)
        return .ok(.init(body: .json(Self.interaction(view))))
    }

    func postCallEvent(_ input: Operations.PostCallEvent.Input) async throws -> Operations.PostCallEvent.Output {
        let principal = try Principal.required()
        guard case .json(let body) = input.body else { throw GuardlineError.invalid("Send a JSON body.") }
        let taken = try await services.calls.take(
            .init(kind: .init(rawValue: body._type.rawValue)!, callID: body.callId, from: body.from, to: body.to, queue: body.queue,
                  agent: body.agent, at: body.at), by: principal)
        return .accepted(.init(body: .json(.init(
            interactionId: taken.interactionID?.description, state: taken.state.map { .init(rawValue: $0.rawValue)! }, duplicate: taken.duplicate))))
    }

    /// An interaction id given as need-to-know context: a malformed one is bad input, not a missing interaction.
    static func interactionID(_ raw: String?) throws -> InteractionID? {
        guard let raw else { return nil }
        guard let id = InteractionID(raw) else { throw GuardlineError.invalid("'interactionId' must be an interaction's id (a UUID).") }
        return id
    }

    static func interaction(_ view: InteractionDesk.View) -> Components.Schemas.Interaction {
        let i = view.interaction
        return .init(
            id: i.id.description, contactId: i.contactID?.description, channel: .init(rawValue: i.channel.rawValue)!,
            direction: .init(rawValue: i.direction.rawValue)!, state: .init(rawValue: view.state.rawValue)!, source: .init(rawValue: i.source.rawValue)!,
            agentId: i.agentID?.description, teamId: i.teamID?.description, queue: i.queue, startedAt: i.startedAt, answeredAt: i.answeredAt,
            endedAt: i.endedAt, closedAt: i.closedAt, disposition: i.disposition,
            content: view.content.map { content in
                .init(subject: content.subject, body: content.body, notes: content.notes,
                      transcript: content.transcript?.map { .init(speaker: .init(rawValue: $0.speaker.rawValue)!, text: $0.text) })
            },
            contentWithheld: view.withheld, recording: view.recording.map(recording))
    }
}

/// Call recordings over the API: uploaded by the phone system as they stream, played back decrypted.
extension APIController {
    func uploadRecording(_ input: Operations.UploadRecording.Input) async throws -> Operations.UploadRecording.Output {
        let principal = try Principal.required()
        let id: InteractionID = try Self.id(input.path.interactionId, "The interaction")
        let recording: Recording
        switch input.body {
        case .audioWav(let body): recording = try await services.recordings.upload(id, format: .wav, body: body, by: principal)
        case .audioMpeg(let body): recording = try await services.recordings.upload(id, format: .mpeg, body: body, by: principal)
        case .audioOgg(let body): recording = try await services.recordings.upload(id, format: .ogg, body: body, by: principal)
        }
        return .created(.init(body: .json(Self.recording(recording))))
    }

    func playRecording(_ input: Operations.PlayRecording.Input) async throws -> Operations.PlayRecording.Output {
        let principal = try Principal.required()
        let (recording, audio) = try await services.recordings.play(try Self.id(input.path.interactionId, "The interaction"), by: principal)
        let body = HTTPBody(audio, length: .known(recording.bytes), iterationBehavior: .single)
        switch recording.contentType {
        case .wav: return .ok(.init(body: .audioWav(body)))
        case .mpeg: return .ok(.init(body: .audioMpeg(body)))
        case .ogg: return .ok(.init(body: .audioOgg(body)))
        }
    }

    static func recording(_ recording: Recording) -> Components.Schemas.Recording {
        .init(id: recording.id.uuidString.lowercased(), contentType: .init(rawValue: recording.contentType.rawValue)!, bytes: recording.bytes,
              purpose: recording.purpose, lawfulBasis: .init(rawValue: recording.lawfulBasis.rawValue)!, createdAt: recording.createdAt)
    }
}
