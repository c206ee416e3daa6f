import Foundation
import GuardlineCore

/// A call handed to an agent, on its way to their open consoles. It carries no contact
/// data: each console renders it for its own viewer (a read through need-to-know,
/// audited). The caller's number travels only in memory, for a "new contact" card.
public struct ScreenPop: Sendable, Equatable {
    public let interactionID: InteractionID
    public let event: CallEvent.Kind
    public let contactID: ContactID?
    public let caller: PhoneNumber?
    public let queue: String?
    /// The interaction as the event left it: the pop's read is bound to it without reading it again.
    public var interaction: Interaction? = nil

    public init(interactionID: InteractionID, event: CallEvent.Kind, contactID: ContactID?, caller: PhoneNumber?, queue: String?,
                interaction: Interaction? = nil) {
        self.interaction = interaction
        self.interactionID = interactionID
        self.event = event
        self.contactID = contactID
        self.caller = caller
        self.queue = queue
    }
}

/// The agents' live connections (server-sent events), by user: a pop reaches every
/// console the agent has open in this process. A connection is bounded in time, so a
/// console re-authenticates (its session is checked again) when it reconnects, and an
/// agent holds at most `perUser` of them: a new one ends the oldest.
public actor ScreenPops {
    /// What a connection is sent: a pop, or a ping that finds out whether the client is still there.
    public enum Signal: Sendable, Equatable {
        case pop(ScreenPop)
        case ping
    }

    public static let perUser = 4
    private var listeners: [UserID: [(id: UUID, continuation: AsyncStream<Signal>.Continuation)]] = [:]

    public init() {}

    /// A stream of the signals for `user`, ended by `cancel`, by a newer connection past
    /// `perUser`, or when the caller stops listening.
    public func listen(_ user: UserID) -> (id: UUID, signals: AsyncStream<Signal>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(16))
        var mine = listeners[user, default: []]
        while mine.count >= Self.perUser { mine.removeFirst().continuation.finish() }
        mine.append((id, continuation))
        listeners[user] = mine
        continuation.onTermination = { [weak self] _ in
            Task { await self?.cancel(id, user: user) }
        }
        return (id, stream)
    }

    public func cancel(_ id: UUID, user: UserID) {
        guard var mine = listeners[user], let index = mine.firstIndex(where: { $0.id == id }) else { return }
        mine.remove(at: index).continuation.finish()
        listeners[user] = mine.isEmpty ? nil : mine
    }

    /// Hands the pop to each of the agent's consoles; answers how many it reached.
    @discardableResult
    public func deliver(_ pop: ScreenPop, to user: UserID) -> Int {
        guard let consoles = listeners[user] else { return 0 }
        for console in consoles { console.continuation.yield(.pop(pop)) }
        return consoles.count
    }

    public func ping(_ id: UUID, user: UserID) {
        listeners[user]?.first { $0.id == id }?.continuation.yield(.ping)
    }

    public var listening: Int { listeners.values.reduce(0) { $0 + $1.count } }
}
