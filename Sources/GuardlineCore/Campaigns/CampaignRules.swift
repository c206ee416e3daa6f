import Foundation

/// What a campaign must be before it is stored: a purpose that is active and
/// reaches people on the chosen channel, stages that exist, a real window of
/// hours, a known time zone and a bounded number of attempts.
public enum CampaignRules {
    public static let maxAttempts = 1...10

    public static func check(_ campaign: Campaign, purposes: [Purpose], stages known: [JourneyStage]) throws {
        _ = try TextRules.required(campaign.name, "name", max: 120)
        guard let purpose = purposes.first(where: { $0.key == campaign.purpose }) else {
            throw GuardlineError.invalid("Unknown purpose '\(CatalogRules.isPurposeKey(campaign.purpose) ? campaign.purpose : "(malformed)")'.")
        }
        guard purpose.active else { throw GuardlineError.invalid("The purpose '\(purpose.key)' is inactive: no campaign may pursue it.") }
        guard purpose.channels.contains(campaign.channel) else {
            throw GuardlineError.invalid(
                "The purpose '\(purpose.key)' does not reach people by \(campaign.channel.rawValue) (it is for \(purpose.channels.map(\.rawValue).joined(separator: ", "))).")
        }
        try CatalogRules.checkStages(campaign.stages, known: known)
        let hours = campaign.hours
        guard (0..<(24 * 60)).contains(hours.start), hours.end <= 24 * 60, hours.start < hours.end else {
            throw GuardlineError.invalid("The calling hours must start before they end, within one day (e.g. 09:00 to 20:00).")
        }
        guard !hours.days.isEmpty, hours.days.allSatisfy((1...7).contains), Set(hours.days).count == hours.days.count else {
            throw GuardlineError.invalid("'days' lists weekdays 1 (Monday) to 7 (Sunday), each once, at least one.")
        }
        guard campaign.timeZone.count <= 64, TimeZone(identifier: campaign.timeZone) != nil else {
            throw GuardlineError.invalid("'timeZone' must be an IANA time zone such as Europe/Lisbon.")
        }
        guard maxAttempts.contains(campaign.maxAttempts) else {
            throw GuardlineError.invalid("'maxAttempts' must be \(maxAttempts.lowerBound) to \(maxAttempts.upperBound).")
        }
    }
}
