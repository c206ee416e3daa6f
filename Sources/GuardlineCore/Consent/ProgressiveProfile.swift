/// What an agent with a contact open should ask now, and no more: the purposes
/// still waiting for a decision (those resting on consent, per channel), which
/// of them the contact's journey stage allows asking about (the first is next),
/// and the fields that may be collected at this stage and are not yet held.
public struct ProgressiveProfile: Sendable {
    public struct Ask: Sendable, Equatable {
        public let purpose: Purpose
        /// Channels with no decision yet.
        public let channels: [ContactChannel]
    }

    public let stage: String
    /// Every active consent purpose lacking a decision on some channel, at any stage.
    public let undecided: [Ask]
    /// Those of them that may be asked about at this stage, in catalog order.
    public let askNow: [Ask]
    /// Fields allowed at this stage that the contact has no value for and the agent may edit.
    public let collectable: [FieldKey]

    public var next: Ask? { askNow.first }

    public init(
        stage: String, purposes: [Purpose], catalog: FieldCatalog, ledger: ConsentLedger, heldFields: Set<FieldKey>,
        editable: (FieldKey) -> Bool
    ) {
        self.stage = stage
        undecided = purposes.filter { $0.active && $0.lawfulBasis == .consent }.compactMap { purpose in
            let open = purpose.channels.filter { ledger.decision(purpose.key, $0) == nil }
            return open.isEmpty ? nil : Ask(purpose: purpose, channels: open)
        }
        askNow = undecided.filter { $0.purpose.asked(at: stage) }
        collectable = catalog.fields.filter { $0.collected(at: stage) && !heldFields.contains($0.key) && editable($0.key) }.map(\.key)
    }

    /// Refuses values for fields the contact's stage does not allow collecting yet,
    /// naming the stages that do (the values themselves are never named).
    public static func checkStage(_ fields: some Sequence<FieldKey>, stage: String, catalog: FieldCatalog) throws {
        for key in fields.sorted() {
            guard let field = catalog[key], !field.collected(at: stage) else { continue }
            throw GuardlineError.invalid(
                "Field '\(key)' is collected only at the stages \(field.stages.joined(separator: ", ")); this contact is at '\(stage)'. Move the contact on first, or leave the field out.")
        }
    }
}
