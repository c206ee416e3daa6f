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
}

/// The agents' live connections (server-sent events), by user: a pop reaches every
/// console the agent has open in this process. A connection is bounded in time, so a
/// console re-authenticates (its session is checked again) when it reconnects.
public actor ScreenPops {
    private var listeners: [UserID: [UUID: AsyncStream<ScreenPop>.Continuation]] = [:]

    public init() {}

    /// A stream of the pops for `user`, ended by `cancel` or when the caller stops listening.
    public func listen(_ user: UserID) -> (id: UUID, pops: AsyncStream<ScreenPop>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<ScreenPop>.makeStream(bufferingPolicy: .bufferingNewest(16))
        listeners[user, default: [:]][id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.cancel(id, user: user) }
        }
        return (id, stream)
    }

    public func cancel(_ id: UUID, user: UserID) {
        listeners[user]?.removeValue(forKey: id)?.finish()
        if listeners[user]?.isEmpty == true { listeners[user] = nil }
    }

    /// Hands the pop to each of the agent's consoles; answers how many it reached.
    @discardableResult
    public func deliver(_ pop: ScreenPop, to user: UserID) -> Int {
        guard let consoles = listeners[user] else { return 0 }
        for continuation in consoles.values { continuation.yield(pop) }
        return consoles.count
    }

    public var listening: Int { listeners.values.reduce(0) { $0 + $1.count } }
}
