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
    let library: NoticeLibrary
    let catalogs: CatalogCache
    let audit: AuditWriter
    let clock: WallClock

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
    public func run(_ data: Data, validOnly: Bool, by principal: Principal) async throws -> Report {
        try directory.requireCreate(principal)
        guard data.count <= Self.maxBytes else {
            throw GuardlineError(.payloadTooLarge, "The file is larger than \(Self.maxBytes / 1024 / 1024) MB; split it.")
        }
        let fileHash = "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
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

        var rows: [Row] = []
        var problems: [Problem] = []
        var phones: [String: Int] = [:]
        for record in records.dropFirst() {
            do {
                let row = try check(record, columns: columns, principal: principal, catalog: catalog, stages: stages)
                if let phone = row.prepared.values[.phone] {
                    if let first = phones[phone] { throw GuardlineError.invalid("The same phone number as line \(first).") }
                    phones[phone] = record.line
                }
                rows.append(row)
            } catch let error as GuardlineError where error.code == .invalidInput || error.code == .forbidden {
                problems.append(Problem(line: record.line, reason: error.message))
            }
        }
        let imported = problems.isEmpty || validOnly ? rows : []
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "contact.import",
            context: "\(fileHash) rows \(records.count - 1) valid \(rows.count) problems \(problems.count) \(imported.isEmpty && !rows.isEmpty ? "refused" : "importing")")
        try await audit.append(record)
        var scripts: [String: NoticeVersion] = [:]
        for row in imported {
            let view = try await directory.store(row.prepared, by: principal, catalog: catalog, context: "import \(fileHash) line \(row.line)")
            for (purpose, channel, decision) in row.decisions {
                if scripts[purpose.key] == nil { scripts[purpose.key] = try await library.current(.script, purpose: purpose.key, org: principal.orgID) }
                let script = scripts[purpose.key]!
                let now = clock.now
                let event = ConsentEvent(
                    id: UUID.version7(at: now), orgID: principal.orgID, contactID: view.id, purpose: purpose.key, channel: channel,
                    decision: decision, source: .import, capturedBy: principal.auditActor.recordedID, noticeVersionID: script.id,
                    noticeHash: script.hash, interactionID: nil, evidence: "import \(fileHash) line \(row.line)", at: now)
                try await audit.recording(AuditRecord(
                    by: principal.auditActor, org: principal.orgID, at: now, action: "consent.\(decision.rawValue)", contactID: view.id,
                    context: "purpose \(purpose.key) channel \(channel.rawValue) import \(fileHash)")) { step in
                    try await consents.append(event, step: step)
                }
            }
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
        return try names.map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard seen.insert(name).inserted else { throw GuardlineError.invalid("Line 1: the column '\(Self.safe(name))' appears twice.") }
            if name == "stage" { return Column(kind: .stage) }
            if name.hasPrefix("consent:") {
                let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3, let purpose = purposes.first(where: { $0.key == parts[1] }), purpose.lawfulBasis == .consent,
                      let channel = ContactChannel(rawValue: parts[2]), purpose.channels.contains(channel)
                else {
                    throw GuardlineError.invalid(
                        "Line 1: '\(Self.safe(name))' is not consent:<purpose>:<channel> for a purpose that rests on consent and one of its channels.")
                }
                return Column(kind: .consent(purpose, channel))
            }
            guard catalog[FieldKey(name)] != nil else {
                throw GuardlineError.invalid("Line 1: unknown column '\(Self.safe(name))'. Columns are the catalog's fields (\(catalog.keys.map(\.rawValue).joined(separator: ", "))), stage, and consent:<purpose>:<channel>.")
            }
            return Column(kind: .field(name))
        }
    }

    /// A column name as written back in a message: only if it looks like a name, never arbitrary file content.
    private static func safe(_ name: String) -> String {
        name.count <= 60 && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_:.-".contains($0)) }) ? name : "(column name not shown)"
    }
}
