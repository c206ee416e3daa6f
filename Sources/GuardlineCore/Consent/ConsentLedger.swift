/// A contact's consent as of its history: for each purpose and channel, the
/// latest decision. The current state is always folded from the events, never
/// stored beside them, so the two cannot disagree.
public struct ConsentLedger: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public let purpose: String
        public let channel: ContactChannel

        public init(purpose: String, channel: ContactChannel) {
            self.purpose = purpose
            self.channel = channel
        }

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.purpose, lhs.channel) < (rhs.purpose, rhs.channel) }
    }

    /// Newest first.
    public let history: [ConsentEvent]
    /// The deciding event per purpose and channel.
    public let current: [Key: ConsentEvent]

    /// `events` in the order they were recorded (a later one wins a tie in time).
    public init(_ events: [ConsentEvent]) {
        var current: [Key: ConsentEvent] = [:]
        for event in events {
            let key = Key(purpose: event.purpose, channel: event.channel)
            if let held = current[key], held.at > event.at { continue }
            current[key] = event
        }
        self.current = current
        history = events.enumerated().sorted { ($0.element.at, $0.offset) > ($1.element.at, $1.offset) }.map(\.element)
    }

    public func decision(_ purpose: String, _ channel: ContactChannel) -> ConsentDecision? {
        current[Key(purpose: purpose, channel: channel)]?.decision
    }

    /// Whether this purpose may reach the person on this channel: consent granted and not
    /// since withdrawn or refused, or a basis other than consent (which needs no decision).
    public func permits(_ purpose: Purpose, on channel: ContactChannel) -> Bool {
        guard purpose.lawfulBasis == .consent else { return true }
        return decision(purpose.key, channel) == .granted
    }
}
