import Foundation

/// The clock Art. 12(3) sets: an answer within one month of receipt, extendable by up
/// to two further months for complexity or the number of requests, the person being
/// told within the first month. Months are calendar months in UTC: a request received
/// on 31 January is due on 28 (or 29) February, as Regulation 1182/71 counts them.
public enum RequestDeadline {
    public static let maxExtraMonths = 2
    /// Open requests due within this many days are "due soon" in the DPO's queue.
    public static let dueSoonDays = 7

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// When a request received at `receivedAt` is due: the end of the day (UTC) `months`
    /// calendar months on, as a period in months ends with the last hour of its last day.
    public static func due(receivedAt: Date, months: Int = 1) -> Date {
        let day = calendar.startOfDay(for: calendar.date(byAdding: .month, value: months, to: receivedAt)!)
        return calendar.date(byAdding: .day, value: 1, to: day)!.addingTimeInterval(-0.001)
    }

    /// How far back a request may be dated when it is keyed in after it arrived (a letter).
    public static let maxBackdating: TimeInterval = 31 * 86_400

    /// Checks when a request arrived, if it is keyed in later: not in the future, not more
    /// than a month back (the clock would have run out before anyone saw it).
    public static func checkReceived(_ receivedAt: Date, now: Date, name: String = "receivedAt") throws {
        guard receivedAt <= now.addingTimeInterval(60) else { throw GuardlineError.invalid("'\(name)' is in the future.") }
        guard now.timeIntervalSince(receivedAt) <= maxBackdating else {
            throw GuardlineError.invalid("'\(name)' is more than 31 days ago: file it with the date it is keyed in and note the delay.")
        }
    }

    /// The due date after extending by `months` further months: `1 + months` calendar
    /// months from receipt, so the total never passes three.
    /// Decided within the first month, and at most two further months in all.
    public static func extended(_ request: SubjectRequest, by months: Int, at now: Date) throws -> Date {
        guard request.state.isOpen else { throw GuardlineError(.conflict, "The request is \(request.state.label.lowercased()); only an open one is extended.") }
        guard (1...maxExtraMonths).contains(months) else {
            throw GuardlineError.invalid("'months' is 1 or 2: Art. 12(3) allows at most two further months.")
        }
        let original = due(receivedAt: request.receivedAt)
        guard now <= original else {
            throw GuardlineError(.conflict, "The first month is over: Art. 12(3) requires the person to be told of an extension within it.")
        }
        let target = due(receivedAt: request.receivedAt, months: 1 + months)
        guard target > request.dueAt else {
            throw GuardlineError(.conflict, "The request is already due later than that; at most two further months in all.")
        }
        return target
    }

    /// A due date as the person reads it: its day in UTC (2026-01-31).
    public static func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Whether an open request is due within `dueSoonDays` (and not yet overdue).
    public static func isDueSoon(_ request: SubjectRequest, at now: Date) -> Bool {
        request.state.isOpen && request.dueAt >= now && request.dueAt.timeIntervalSince(now) <= Double(dueSoonDays) * 86_400
    }
}
