import Foundation

/// When a campaign may reach people: a daily window of local time on some days of
/// the week, judged in the contact's own time zone (a call at 9:00 in Lisbon is
/// 10:00 in Berlin). Messages (email) follow the same window.
public struct CallingHours: Sendable, Equatable, Codable {
    /// Minutes after local midnight; the window is [start, end).
    public var start: Int
    public var end: Int
    /// ISO weekdays, 1 = Monday ... 7 = Sunday.
    public var days: [Int]

    public init(start: Int, end: Int, days: [Int]) {
        self.start = start
        self.end = end
        self.days = days
    }

    /// Weekdays 9:00 to 20:00, the usual rule for marketing calls.
    public static let standard = CallingHours(start: 9 * 60, end: 20 * 60, days: [1, 2, 3, 4, 5])

    /// Parses `"09:00"`-style times; nil for anything else.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes),
              hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    public static func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// Whether `date` falls in the window in `zone`.
    public func isOpen(at date: Date, in zone: TimeZone) -> Bool {
        let (weekday, minute) = Self.local(date, zone)
        return days.contains(weekday) && minute >= start && minute < end
    }

    /// The next moment the window opens in `zone` after `date` (within the coming week).
    public func nextOpening(after date: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: date)
        for offset in 0...7 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                  let opening = calendar.date(byAdding: .minute, value: start, to: day)
            else { continue }
            if opening > date, isOpen(at: opening, in: zone) { return opening }
        }
        return nil
    }

    private static func local(_ date: Date, _ zone: TimeZone) -> (weekday: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar counts Sunday as 1; ISO counts Monday as 1.
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        return (weekday, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }
}
