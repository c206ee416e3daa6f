import Crypto
import Foundation
import GuardlineCore
import GuardlineStore

/// Contacts from a CSV file, with their consent. The whole file is checked before
/// anything is stored: a file with a bad row stores nothing (or, if asked, only its
/// good rows), and every problem is reported by line. Consent columns become ledger
/// events whose evidence is the import and the file's SHA-256, so what a person agreed
/// to can be traced to the exact file it came from.
///
/// Columns: catalog field keys (`name`, `phone`, ...), an optional `stage`, and
/// `consent:<purpose>:<channel>` holding `granted`, `refused` or nothing.
public struct ContactImport: Sendable {
    let directory: ContactDirectory
    let consents: ConsentStore
    let catalogs: CatalogCache
    let audit: AuditWriter
    let clock: WallClock
    let running = OrganizationGate(busy: "An import is running for your organization already: wait until it ends.")

    public static let maxBytes = 50 * 1024 * 1024
    public static let maxRows = 200_000

    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public struct Report: Sendable {
        /// `sha256:<hex>` of the file's bytes.
        public let fileHash: String
        public let rows: Int
        public let imported: Int
        public let problems: [Problem]

        /// The rows not imported, as CSV: line and reason (no value from the file).
        public var problemsCSV: String {
            "line,reason\n" + problems.map { "\($0.line),\"\($0.reason.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: "\n") + "\n"
        }
    }

    private struct Column {
        enum Kind { case field(String), stage, consent(Purpose, ContactChannel) }
        let kind: Kind
    }

    private struct Row {
        let line: Int
        let prepared: ContactDirectory.Prepared
        let decisions: [(Purpose, ContactChannel, ConsentDecision)]
    }

    /// Checks the file and, unless it has problems and `validOnly` is false, stores its rows.
    /// `channel` says where the file came from ("command line"), for the audit entry.
    public func run(_ data: Data, validOnly: Bool, by principal: Principal, channel: String = "command line") async throws -> Report {
        try directory.requireCreate(principal)
        try principal.require(.importContacts, to: "import contacts in bulk")
        // One at a time: a second import checking the same people before the first stored them would store them twice.
        return try await running.run(for: principal.orgID) {
            try await perform(data, validOnly: validOnly, by: principal, channel: channel)
        }
    }

    private func perform(_ data: Data, validOnly: Bool, by principal: Principal, channel: String) async throws -> Report {
        guard data.count <= Self.maxBytes else {
            throw GuardlineError(.payloadTooLarge, "The file is larger than \(Self.maxBytes / 1024 / 1024) MB; split it.")
        }
        let fileHash = "sha256:" + SHA256.hash(data: data).hex
        guard let text = String(data: data, encoding: .utf8) else { throw GuardlineError.invalid("The file is not UTF-8 text.") }
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            throw GuardlineError.invalid("Line \(error.line): \(error.reason)")
        }
        guard let header = records.first else { throw GuardlineError.invalid("The file is empty; its first line names the columns.") }
        guard records.count - 1 <= Self.maxRows else { throw GuardlineError.invalid("The file has more than \(Self.maxRows) rows; split it.") }
        let catalog = try await catalogs.catalog(for: principal.orgID)
        let purposes = try await catalogs.purposes(for: principal.orgID)
        let stages = try await catalogs.stages(for: principal.orgID)
        let columns = try Self.columns(header.fields, catalog: catalog, purposes: purposes)
        if columns.contains(where: { if case .consent = $0.kind { true } else { false } }) {
            try principal.require(.recordConsent, to: "import consent decisions")
        }
        if columns.contains(where: { if case .stage = $0.kind { true } else { false } }) {
            // Placing people along the journey is what moving them is: the agent who asks the questions.
            try principal.require(.recordConsent, to: "import contacts at a journey stage")
        }

        var rows: [Row] = []
        var problems: [Problem] = []
        var held: [(line: Int, contact: ContactID)] = []
        var seen: [FieldKey: [String: Int]] = [:]
        for record in records.dropFirst() {
            do {
                let row = try check(record, columns: columns, principal: principal, catalog: catalog, stages: stages)
                for field in [FieldKey.phone, .email] {
                    guard let value = row.prepared.values[field] else { continue }
                    if let first = seen[field]?[value] { throw GuardlineError.invalid("The same \(field.rawValue) as line \(first).") }
                    seen[field, default: [:]][value] = record.line
                }
                // A person already held is not made twice (a second record would escape their withdrawals and objections).
                if let existing = try await directory.holder(of: row.prepared.values, org: principal.orgID) {
                    held.append((record.line, existing))
                    throw GuardlineError.invalid("Already a contact: update that contact instead.")
                }
                rows.append(row)
            } catch let error as GuardlineError where error.code == .invalidInput || error.code == .forbidden {
                problems.append(Problem(line: record.line, reason: error.message))
            }
        }
        let storing = problems.isEmpty || validOnly
        let imported = storing ? rows : []
        // Each person the file was found to name is recorded as found: the check is a lookup by number and address.
        try await audit.append([AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.import",
            context: "\(fileHash) via \(channel) rows \(records.count - 1) valid \(rows.count) problems \(problems.count) \(storing ? "importing" : "refused")")]
            + held.map { AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.import.match", contactID: $0.contact,
                context: "\(fileHash) line \($0.line)") })
        var stored = 0
        do {
            for row in imported {
                let view = try await directory.store(row.prepared, by: principal, catalog: catalog, context: "import \(fileHash) line \(row.line)")
                for (purpose, channel, decision) in row.decisions {
                    let now = clock.now
                    // The file is the evidence: which notice the person was shown is not in it, so none is claimed.
                    let event = ConsentEvent(
                        id: UUID.version7(at: now), orgID: principal.orgID, contactID: view.id, purpose: purpose.key, channel: channel,
                        decision: decision, source: .import, capturedBy: principal.auditActor.recordedID, noticeVersionID: nil,
                        noticeHash: nil, interactionID: nil, evidence: "import \(fileHash) line \(row.line)", at: now)
                    try await audit.recording(AuditRecord(
                        by: principal.auditActor, org: principal.orgID, at: now, action: "consent.\(decision.rawValue)", contactID: view.id,
                        context: "purpose \(purpose.key) channel \(channel.rawValue) import \(fileHash)")) { step in
                        _ = try await consents.append(event, step: step)
                    }
                }
                stored += 1
            }
        } catch {
            try? await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.import.failed",
                context: "\(fileHash) stored \(stored) of \(imported.count)"))
            throw error
        }
        if storing {
            try await audit.append(AuditRecord(
                by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.import.done", context: "\(fileHash) stored \(stored)"))
        }
        return Report(fileHash: fileHash, rows: records.count - 1, imported: imported.count, problems: problems)
    }

    private func check(
        _ record: CSVRecords.Record, columns: [Column], principal: Principal, catalog: FieldCatalog, stages: [JourneyStage]
    ) throws -> Row {
        guard record.fields.count == columns.count else {
            throw GuardlineError.invalid("\(record.fields.count) values where the first line names \(columns.count) columns.")
        }
        var input: [String: String] = [:]
        var stage: String?
        var decisions: [(Purpose, ContactChannel, String)] = []
        for (column, value) in zip(columns, record.fields) {
            let value = value.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { continue }
            switch column.kind {
            case .field(let key): input[key] = value
            case .stage: stage = value
            case .consent(let purpose, let channel): decisions.append((purpose, channel, value))
            }
        }
        if let stage, !stages.contains(where: { $0.key == stage }) {
            throw GuardlineError.invalid("The stage is not one of \(stages.map(\.key).joined(separator: ", ")).")
        }
        let prepared = try directory.prepare(input, stage: stage, by: principal, catalog: catalog, stages: stages)
        let checked = try decisions.map { purpose, channel, raw in
            guard let decision = ConsentDecision(rawValue: raw.lowercased()), decision != .withdrawn else {
                throw GuardlineError.invalid("Consent for \(purpose.key) by \(channel.rawValue) must be granted, refused or empty.")
            }
            try ConsentRules.check(decision, for: purpose, on: channel, stage: prepared.stage)
            return (purpose, channel, decision)
        }
        return Row(line: record.line, prepared: prepared, decisions: checked)
    }

    /// The header, each name known: a field of the catalog, `stage`, or a consent column.
    private static func columns(_ names: [String], catalog: FieldCatalog, purposes: [Purpose]) throws -> [Column] {
        var seen = Set<String>()
        return try names.enumerated().map { offset, raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            let number = offset + 1
            guard seen.insert(name).inserted else { throw GuardlineError.invalid("Line 1: column \(number) repeats a column named before it.") }
            if name == "stage" { return Column(kind: .stage) }
            if name.hasPrefix("consent:") {
                let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3, let purpose = purposes.first(where: { $0.key == parts[1] }), purpose.lawfulBasis == .consent,
                      let channel = ContactChannel(rawValue: parts[2]), purpose.channels.contains(channel)
                else {
                    throw GuardlineError.invalid(
                        "Line 1: column \(number) is not consent:<purpose>:<channel> for a purpose that rests on consent and one of its channels.")
                }
                return Column(kind: .consent(purpose, channel))
            }
            guard catalog[FieldKey(name)] != nil else {
                throw GuardlineError.invalid("Line 1: column \(number) is not a known column. Columns are the catalog's fields (\(catalog.keys.map(\.rawValue).joined(separator: ", "))), stage, and consent:<purpose>:<channel>.")
            }
            return Column(kind: .field(name))
        }
    }
}
