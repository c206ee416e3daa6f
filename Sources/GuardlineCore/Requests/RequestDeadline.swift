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

    /// When a request received at `receivedAt` is due, `months` calendar months on.
    public static func due(receivedAt: Date, months: Int = 1) -> Date {
        calendar.date(byAdding: .month, value: months, to: receivedAt)!
    }

    /// The due date after extending by `months` further months (counted from the
    /// original due date, so the total never passes three months from receipt).
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
