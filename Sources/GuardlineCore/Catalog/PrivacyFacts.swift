import Foundation

/// What the organization tells every person about its processing beyond the catalog
/// (Art. 13(1)(e)–(f), 14, 15(1)(c), (f), (h) and 15(2)): who receives their data, where it
/// goes outside the EEA and with which safeguards, whether decisions about them are
/// automated, and the authority they may complain to. Written once by the organization,
/// shown in every export and on the privacy portal.
public struct PrivacyFacts: Sendable, Codable, Equatable {
    /// Recipients or categories of recipients ("our telephony provider (processor)").
    public var recipients: [String]
    /// Transfers outside the EEA with their safeguard ("US: cloud hosting, standard contractual clauses").
    public var transfers: [String]
    /// Automated decision-making, profiling and its logic (Art. 22); nil when there is none.
    public var automatedDecisions: String?
    /// The supervisory authority a complaint goes to.
    public var authority: String

    public init(recipients: [String], transfers: [String], automatedDecisions: String?, authority: String) {
        self.recipients = recipients
        self.transfers = transfers
        self.automatedDecisions = automatedDecisions
        self.authority = authority
    }

    /// Before the organization writes its own: nothing shared, nothing automated, and the
    /// authority named in general terms.
    public static let unstated = PrivacyFacts(
        recipients: [], transfers: [], automatedDecisions: nil,
        authority: "The data protection authority of the EU country where you live or work, or where you think your rights were infringed.")

    public static func check(_ facts: PrivacyFacts) throws -> PrivacyFacts {
        guard facts.recipients.count <= 50, facts.transfers.count <= 50 else { throw GuardlineError.invalid("At most 50 recipients and 50 transfers.") }
        return PrivacyFacts(
            recipients: try facts.recipients.map { try TextRules.required($0, "recipients", max: 300) },
            transfers: try facts.transfers.map { try TextRules.required($0, "transfers", max: 300) },
            automatedDecisions: try TextRules.bounded(facts.automatedDecisions, "automatedDecisions", max: 2000).flatMap { $0.isEmpty ? nil : $0 },
            authority: try TextRules.required(facts.authority, "authority", max: 500))
    }
}
