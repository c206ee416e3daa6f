import Foundation

/// The privacy portal's proof that a person holds an address on record (Art. 12(6)):
/// six digits, sent to that address, good for ten minutes and three tries. One in a
/// million per guess, three guesses a code, and codes per address and per source are
/// rationed: guessing is hopeless, and nobody learns whether an address is known.
public enum OneTimeCode {
    public static let digits = 6
    public static let lifetime: TimeInterval = 10 * 60
    public static let attempts = 3
    /// Codes one address may be sent, and codes one source may ask for, per `window`.
    public static let perAddress = 3
    public static let perSource = 20
    public static let window: TimeInterval = 15 * 60
    /// Tries on codes to one address in a day, whatever the codes: past them, none opens until
    /// the day has passed (three codes a quarter-hour would otherwise allow 864 guesses a day).
    public static let triesPerAddressPerDay = 10

    /// Six digits drawn uniformly, leading zeros kept.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let value = UInt32.random(in: 0..<1_000_000, using: &generator)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// What a person typed, with the spaces and dashes people add removed; nil if it
    /// cannot be a code (so a malformed entry still spends an attempt, like a wrong one).
    public static func normalize(_ typed: String) -> String? {
        let kept = typed.unicodeScalars.filter { !CharacterSet.whitespaces.contains($0) && $0 != "-" }
        guard kept.count == digits, kept.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(kept))
    }
}
