import Foundation

/// Validates and normalizes the value of a contact field before it is encrypted.
/// Errors name the field and the expected form, never the value itself.
public enum ContactFieldRules {
    public static let maxLength = 500

    public static func normalize(_ key: FieldKey, _ raw: String, catalog: FieldCatalog) throws -> String {
        guard catalog.contains(key) else {
            throw GuardlineError.invalid("Unknown field '\(key.wellFormedOrPlaceholder)'. Known fields: \(catalog.keys.map(\.rawValue).joined(separator: ", ")).")
        }
        let value = raw.trimmingWhitespace()
        guard !value.isEmpty else { throw GuardlineError.invalid("Field '\(key)' is empty; send null to clear it.") }
        // Code points as sent, as the API document's maxLength counts them.
        guard raw.unicodeScalars.count <= maxLength else { throw GuardlineError.invalid("Field '\(key)' is longer than \(maxLength) characters.") }
        guard !value.unicodeScalars.contains(where: Self.isRefused) else {
            throw GuardlineError.invalid("Field '\(key)' contains control characters or invisible formatting characters.")
        }
        switch key {
        case .phone:
            guard let phone = PhoneNumber(value) else {
                throw GuardlineError.invalid("Field 'phone' must be an international number, e.g. +351 912 345 678 (8 to 15 digits after the country code prefix + or 00).")
            }
            return phone.e164
        case .email:
            guard let email = EmailAddress(value) else {
                throw GuardlineError.invalid("Field 'email' must be an email address such as name@example.com.")
            }
            return email.normalized
        case .name:
            guard value.count <= 200, !NameTokens.of(value).isEmpty else {
                throw GuardlineError.invalid("Field 'name' must hold 1 to 200 characters with at least one letter or digit.")
            }
            return value
        case .birthDate:
            guard let date = CalendarDate(value), date.year >= 1900, date <= CalendarDate.today() else {
                throw GuardlineError.invalid("Field 'birthDate' must be a date in the form YYYY-MM-DD between 1900-01-01 and today.")
            }
            return date.description
        default:
            return value
        }
    }
}

extension ContactFieldRules {
    /// Control characters (but newline) and invisible formatting characters such
    /// as bidirectional overrides, which can make a value display as something
    /// else; the joiners some scripts need (U+200C, U+200D) stay allowed.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: scalar != "\n"
        case .format: scalar != "\u{200C}" && scalar != "\u{200D}"
        default: false
        }
    }
}

extension FieldKey {
    /// The key if it is safe to echo back in an error message, else a placeholder.
    var wellFormedOrPlaceholder: String { isWellFormed ? rawValue : "(malformed key)" }
}

/// A calendar date without time zone (`1980-04-02`).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(_ string: String) {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let range = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month))!),
              range.contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func today(_ now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))!
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
