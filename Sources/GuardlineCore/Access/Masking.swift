/// Turns a value into its masked form. Masking happens on the server, so the
/// clear value never reaches the browser or the API client.
public enum Masking {
    public static func mask(_ value: String, as format: MaskFormat, field: FieldKey) -> String {
        switch format {
        case .redacted:
            return "[redacted]"
        case .initials:
            let initials = NameTokens.of(value).compactMap { $0.first.map { "\(String($0).uppercased())." } }
            return initials.isEmpty ? "[redacted]" : initials.joined(separator: " ")
        case .partialEmail:
            guard let at = value.firstIndex(of: "@"), let first = value.first, at != value.startIndex else {
                return value.first.map { "\($0)***" } ?? "[redacted]"
            }
            return "\(first)***\(value[at...])"
        case .lastDigits:
            if field == .phone, let phone = PhoneNumber(value) { return maskedPhone(phone) }
            let kept = value.count > 8 ? 4 : min(2, value.count / 2)
            return String(repeating: "*", count: max(3, value.count - kept)) + value.suffix(kept)
        }
    }

    /// `+351 *** *** 789`: country code, hidden groups of three, the last three digits.
    private static func maskedPhone(_ phone: PhoneNumber) -> String {
        let national = phone.nationalNumber
        let hiddenCount = max(0, national.count - 3)
        var groups: [String] = []
        var remaining = hiddenCount
        while remaining > 0 {
            let size = remaining % 3 == 0 ? 3 : remaining % 3
            groups.append(String(repeating: "*", count: size))
            remaining -= size
        }
        return (["+" + phone.countryCode] + groups + [String(national.suffix(3))]).joined(separator: " ")
    }
}
