/// What a consent decision must satisfy, in one place for the API, the console and imports.
public enum ConsentRules {
    /// Consent is recorded for purposes that rest on it, on one of their channels.
    /// A grant or refusal waits for the stage at which the purpose may be asked; a
    /// withdrawal is taken at any stage, as easily as the grant was.
    public static func check(_ decision: ConsentDecision, for purpose: Purpose, on channel: ContactChannel, stage: String) throws {
        // Withdrawing is always possible (Art. 7(3)): after the purpose was retired, moved to
        // another basis or stopped using the channel, as much as before.
        guard decision != .withdrawn else { return }
        guard purpose.lawfulBasis == .consent else {
            throw GuardlineError.invalid(
                "'\(purpose.key)' rests on \(purpose.lawfulBasis.label), not consent: there is no consent to record. An objection to it is a request.")
        }
        guard purpose.active else { throw GuardlineError.invalid("'\(purpose.key)' is no longer active: nothing is asked for it.") }
        guard purpose.channels.contains(channel) else {
            throw GuardlineError.invalid("'\(purpose.key)' is not pursued by \(channel.rawValue); its channels: \(purpose.channels.map(\.rawValue).joined(separator: ", ")).")
        }
        guard purpose.asked(at: stage) else {
            throw GuardlineError.invalid(
                "'\(purpose.key)' is asked only at the stages \(purpose.stages.joined(separator: ", ")); this contact is at '\(stage)'.")
        }
    }

    /// A call or chat id given as evidence: 1 to 128 letters, digits and `._:@-`, as
    /// PBXs and CPaaS write them (no spaces, nothing that reads as text about a person).
    public static func interactionID(_ value: String?) throws -> String? {
        guard let value else { return nil }
        guard (1...128).contains(value.unicodeScalars.count),
              value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:@-".unicodeScalars.contains($0)) })
        else { throw GuardlineError.invalid("'interactionId' is 1 to 128 letters, digits and . _ : @ - (the PBX's call id).") }
        return value
    }
}
