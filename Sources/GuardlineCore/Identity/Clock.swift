import Foundation

/// The one source of "now", injected so deadlines and expiries are testable without waiting.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public var now: Date { read() }

    public static let system = WallClock { Date() }
    public static func frozen(at date: Date) -> WallClock { WallClock { date } }
}
