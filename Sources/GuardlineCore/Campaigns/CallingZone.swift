import Foundation

/// A contact's time zone told from their number's country code, where the country
/// keeps one civil time on its mainland. Countries spanning zones (+1, +7, +55,
/// +61...) and unknown codes fall back to the campaign's zone.
public enum CallingZone {
    public static func of(_ phone: PhoneNumber?, fallback: TimeZone) -> TimeZone {
        guard let phone, let identifier = zones[phone.countryCode], let zone = TimeZone(identifier: identifier) else { return fallback }
        return zone
    }

    static let zones: [String: String] = [
        "30": "Europe/Athens", "31": "Europe/Amsterdam", "32": "Europe/Brussels", "33": "Europe/Paris", "34": "Europe/Madrid",
        "36": "Europe/Budapest", "39": "Europe/Rome", "40": "Europe/Bucharest", "41": "Europe/Zurich", "43": "Europe/Vienna",
        "44": "Europe/London", "45": "Europe/Copenhagen", "46": "Europe/Stockholm", "47": "Europe/Oslo", "48": "Europe/Warsaw",
        "49": "Europe/Berlin", "351": "Europe/Lisbon", "352": "Europe/Luxembourg", "353": "Europe/Dublin", "354": "Atlantic/Reykjavik",
        "356": "Europe/Malta", "357": "Asia/Nicosia", "358": "Europe/Helsinki", "359": "Europe/Sofia", "370": "Europe/Vilnius",
        "371": "Europe/Riga", "372": "Europe/Tallinn", "385": "Europe/Zagreb", "386": "Europe/Ljubljana", "420": "Europe/Prague",
        "421": "Europe/Bratislava", "423": "Europe/Vaduz", "90": "Europe/Istanbul", "81": "Asia/Tokyo", "82": "Asia/Seoul",
        "86": "Asia/Shanghai", "91": "Asia/Kolkata", "27": "Africa/Johannesburg", "20": "Africa/Cairo",
        "54": "America/Argentina/Buenos_Aires", "56": "America/Santiago", "57": "America/Bogota", "58": "America/Caracas",
    ]
}
