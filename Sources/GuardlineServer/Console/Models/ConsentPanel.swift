import Foundation
import GuardlineCore

/// The consent part of a contact's page: the journey stage, what to ask now with
/// the script to read, the current decisions (each withdrawable in one click),
/// and the full history with its evidence, newest first.
struct ConsentPanel {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Ask {
        let purpose: String
        let name: String
        let channels: [Option]
        let scriptID: String
        let scriptVersion: Int
        let scriptText: String
        let scriptHash: String
    }

    struct State {
        let purpose: String
        let name: String
        let channel: String
        let channelLabel: String
        let decision: String
        let at: String
        let granted: Bool
    }

    struct Event {
        let at: String
        let purpose: String
        let channel: String
        let decision: String
        let source: String
        let evidence: String
    }

    let contactID: String
    let csrf: String
    let stage: String
    let stages: [Option]
    let canRecord: Bool
    let next: Ask?
    let later: [Ask]
    /// Purposes still undecided that the contact's stage does not allow asking yet.
    let notYet: [String]
    let current: [State]
    let history: [Event]
    let collectable: [String]
    // Stored, not computed: templates read properties through reflection.
    let hasNotYet: Bool
    let hasCollectable: Bool
    let hasCurrent: Bool
    let hasHistory: Bool

    init(_ overview: ConsentDesk.Overview, contact: ContactID, stages: [JourneyStage], catalog: FieldCatalog, principal: Principal, csrf: String) {
        contactID = contact.description
        self.csrf = csrf
        canRecord = principal.authorization.has(.recordConsent) && principal.authorization.mayWriteContacts
        let stage = overview.profile.stage
        self.stage = stages.first { $0.key == stage }?.label ?? stage
        self.stages = stages.map { Option(value: $0.key, label: $0.label, selected: $0.key == stage) }
        let names = Dictionary(overview.purposes.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        let asks = overview.profile.askNow.compactMap { ask -> Ask? in
            guard let script = overview.scripts[ask.purpose.key] else { return nil }
            return Ask(purpose: ask.purpose.key, name: ask.purpose.name,
                       channels: ask.channels.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
                       scriptID: script.id.uuidString.lowercased(), scriptVersion: script.version, scriptText: script.text, scriptHash: script.hash)
        }
        next = asks.first
        later = Array(asks.dropFirst())
        let askable = Set(overview.profile.askNow.map(\.purpose.key))
        notYet = overview.profile.undecided.filter { !askable.contains($0.purpose.key) }
            .map { "\($0.purpose.name) (asked at: \($0.purpose.stages.joined(separator: ", ")))" }
        current = overview.ledger.current.sorted { $0.key < $1.key }.map { key, event in
            State(purpose: key.purpose, name: names[key.purpose] ?? key.purpose, channel: key.channel.rawValue, channelLabel: key.channel.label,
                  decision: event.decision.rawValue, at: Self.time(event.at), granted: event.decision == .granted)
        }
        history = overview.ledger.history.map { event in
            var evidence = [String]()
            if let version = event.noticeHash { evidence.append("script \(version.prefix(19))…") }
            if let interaction = event.interactionID { evidence.append("call \(interaction)") }
            if let file = event.evidence { evidence.append(file) }
            return Event(at: Self.time(event.at), purpose: names[event.purpose] ?? event.purpose, channel: event.channel.label,
                         decision: event.decision.rawValue, source: event.source.rawValue, evidence: evidence.joined(separator: ", "))
        }
        collectable = overview.profile.collectable.map { catalog[$0]?.label ?? $0.rawValue }
        hasNotYet = !notYet.isEmpty
        hasCollectable = !collectable.isEmpty
        hasCurrent = !current.isEmpty
        hasHistory = !history.isEmpty
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).dateTimeSeparator(.space).time(includingFractionalSeconds: false))
    }
}
