import Foundation

/// The rules for free-text inputs, in one place for the API, the console and the CLI.
/// Lengths count Unicode code points, as JSON Schema's `maxLength` does, so what the
/// OpenAPI document allows and what the server accepts are the same thing.
public enum TextRules {
    /// Text of at most `max` code points as sent (what the document's maxLength means),
    /// not blank; returned trimmed. Otherwise 400 naming the input.
    public static func required(_ value: String, _ name: String, max: Int) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.unicodeScalars.count <= max, !trimmed.isEmpty else {
            throw GuardlineError.invalid("'\(name)' must hold 1 to \(max) characters.")
        }
        return trimmed
    }

    /// A value given as is (a query parameter), at most `max` code points.
    public static func bounded(_ value: String?, _ name: String, max: Int) throws -> String? {
        guard let value else { return nil }
        guard value.unicodeScalars.count <= max else { throw GuardlineError.invalid("'\(name)' is longer than \(max) characters.") }
        return value
    }

    /// A stated reason (a reveal's): at most 500 code points as sent, 3 or more once trimmed.
    public static func reason(_ value: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.unicodeScalars.count <= 500, trimmed.unicodeScalars.count >= 3 else {
            throw GuardlineError.invalid("State a reason of 3 to 500 characters for revealing a field.")
        }
        return trimmed
    }

    /// A staff password: 12 to 256 characters (a passphrase of several words is easiest).
    public static func password(_ password: String) throws {
        guard (12...256).contains(password.unicodeScalars.count) else {
            throw GuardlineError.invalid("A password needs 12 to 256 characters; a passphrase of several words is easiest.")
        }
    }
}
