import Foundation
import GuardlineCore

/// A contact's timeline on their page: interactions and consent decisions, newest first,
/// what was said where it opens for the viewer, and the forms to log one and wrap one up.
struct TimelinePanel {
    struct Turn {
        let speaker: String
        let text: String
    }

    struct Entry {
        let at: String
        let kind: String
        let summary: String
        let state: String?
        let subject: String?
        let body: String?
        let notes: String?
        let transcript: [Turn]
        var hasTranscript: Bool { !transcript.isEmpty }
        let withheld: Bool
        /// Set when the viewer holds it open: the wrap-up form shows.
        let wrapUpID: String?
        /// The player's source, when there is a recording the viewer may play.
        var recording: String? = nil
        var recordingLabel: String? = nil
    }

    let contact: String
    let entries: [Entry]
    let csrf: String
    let interaction: String?
    let channels = InteractionChannel.allCases.map(\.rawValue)

    init(_ interactions: [InteractionDesk.View], consents: [ConsentEvent], contact: ContactID, viewer: UserID, interaction: InteractionID?,
         csrf: String, mayPlay: Bool = false) {
        self.contact = contact.description
        self.csrf = csrf
        self.interaction = interaction?.description
        var dated: [(Date, Entry)] = interactions.map { view in
            let i = view.interaction
            let content = view.content
            let summary = [i.channel.rawValue, i.direction.rawValue, i.queue.map { "queue \($0)" }, i.disposition.map { "disposition \($0)" }]
                .compactMap { $0 }.joined(separator: " · ")
            return (i.startedAt, Entry(
                at: ConsentPanel.time(i.startedAt), kind: "interaction", summary: summary, state: view.state.rawValue,
                subject: content?.subject, body: content?.body, notes: content?.notes,
                transcript: (content?.transcript ?? []).map { Turn(speaker: $0.speaker.rawValue, text: $0.text) }, withheld: view.withheld,
                wrapUpID: i.agentID == viewer && view.state != .closed ? i.id.description : nil,
                recording: mayPlay && view.recording != nil ? "/interactions/\(i.id)/recording" : nil,
                recordingLabel: view.recording.map { "Recording (\($0.purpose), \($0.lawfulBasis.label)); every playback is recorded in the audit log" }))
        }
        dated += consents.map { event in
            (event.at, Entry(at: ConsentPanel.time(event.at), kind: "consent",
                             summary: "\(event.decision.rawValue) · \(event.purpose) · \(event.channel.rawValue) · \(event.source.rawValue)",
                             state: nil, subject: nil, body: nil, notes: nil, transcript: [], withheld: false, wrapUpID: nil))
        }
        entries = dated.sorted { $0.0 > $1.0 }.map(\.1)
    }
}
