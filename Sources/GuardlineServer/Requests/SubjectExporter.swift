import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore
import Mustache

/// Builds a person's export package (Art. 15, 20) from their data as held: every field
/// opened, every interaction as stored, their consents and requests, and every opening
/// of their record from the audit chain, described by role and team rather than by the
/// name of the employee. The package holds `data.json` (machine-readable, for
/// portability) and `index.html` (the same in plain language).
struct SubjectExporter: Sendable {
    let directory: ContactDirectory
    let organizations: OrganizationStore
    let consents: ConsentStore
    let interactions: InteractionStore
    let recordings: RecordingStore
    let requests: RequestStore
    let auditLog: AuditLog
    let users: UserStore
    let teams: TeamStore
    let campaigns: CampaignStore
    let facts: PrivacyFactsStore
    let page: MustacheTemplate

    static let pageSize = 1_000
    /// Recordings' audio goes into the package up to this much in all; the rest is listed.
    static let audioAllowance: Int64 = 64 * 1024 * 1024

    /// The person's data as held now; nil when they were erased.
    func export(_ contact: ContactID, org: OrganizationID, at now: Date) async throws -> SubjectExport? {
        guard let sealed = try await directory.contacts.find(contact, org: org) else { return nil }
        let cipher = try await directory.cipher(for: contact, org: org)
        let catalog = try await directory.catalogs.catalog(for: org)
        let fields = try sealed.fields.map { key, box in
            let field = catalog[key]
            return SubjectExport.Field(key: key.rawValue, label: field?.label ?? key.rawValue, category: field?.category ?? "user",
                                       specialCategory: field?.specialCategory ?? false, value: try cipher.open(box, field: key))
        }.sorted { $0.key < $1.key }
        let limits = try await directory.limits(contact, org: org)
        async let history = history(contact, org: org, cipher: cipher)
        async let log = accessLog(contact, org: org)
        let (conversations, accesses) = try await (history, log)
        var export = SubjectExport(
            generatedAt: now, organization: try await organizations.find(org)?.name ?? "", subject: contact.description,
            reference: sealed.reference?.description, fields: fields,
            purposes: try await directory.catalogs.purposes(for: org).filter(\.active).map {
                SubjectExport.PurposeUse(key: $0.key, name: $0.name, description: $0.description, lawfulBasis: $0.lawfulBasis.label,
                                         retentionDays: $0.retentionDays)
            },
            sources: sources(accesses.entries), restrictedSince: limits.restriction?.since, restrictionGround: limits.restriction?.ground?.label,
            objections: limits.objections.map(\.purpose),
            consents: try await consents.events(contact: contact, org: org).map {
                SubjectExport.Consent(purpose: $0.purpose, channel: $0.channel.rawValue, decision: $0.decision.rawValue, source: $0.source.rawValue,
                                      notice: $0.noticeHash, at: $0.at)
            },
            interactions: conversations,
            requests: try await requests.forContact(contact, org: org, limit: 1_000).map {
                SubjectExport.Request(id: $0.id.description, kind: $0.kind.rawValue, state: $0.state.rawValue, receivedAt: $0.receivedAt,
                                      dueAt: $0.dueAt, closedAt: $0.closedAt)
            },
            accessLog: accesses.described)
        export.stage = try await directory.contacts.stage(of: contact, org: org)
        export.recordSince = sealed.createdAt
        export.campaigns = try await campaigns.entries(of: contact, org: org).map {
            SubjectExport.CampaignEntry(campaign: $0.campaign, purpose: $0.purpose, channel: $0.channel, state: $0.state, attempts: $0.attempts,
                                        outcome: $0.outcome, listedAt: $0.builtAt)
        }
        export.holds = try await directory.holds.holds(contact: contact, org: org).filter { $0.isActive(at: now) }.map {
            SubjectExport.Hold(ground: $0.ground.label, fields: $0.fields, until: $0.until)
        }
        export.facts = try await facts.facts(org: org)
        return export
    }

    /// Every interaction, newest first, what was said opened as stored (already redacted).
    private func history(_ contact: ContactID, org: OrganizationID, cipher: FieldCipher) async throws -> [SubjectExport.Conversation] {
        var result: [SubjectExport.Conversation] = []
        var before: InteractionID?
        var audio: Int64 = 0
        while true {
            let rows = try await interactions.forContact(contact, org: org, before: before, limit: Self.pageSize)
            let recorded = try await recordings.forInteractions(rows.map(\.interaction.id), org: org)
            for row in rows {
                let i = row.interaction
                let content = row.content == nil ? nil : try InteractionDesk.open(row, cipher: cipher).content
                result.append(SubjectExport.Conversation(
                    id: i.id.description, channel: i.channel.rawValue, direction: i.direction.rawValue, startedAt: i.startedAt, endedAt: i.endedAt,
                    queue: i.queue, disposition: i.disposition, content: content,
                    recording: recorded[i.id].map {
                        var file: String?
                        if audio + $0.bytes <= Self.audioAllowance {
                            audio += $0.bytes
                            file = "recordings/\(i.id).\($0.contentType.fileExtension)"
                        }
                        return SubjectExport.RecordingNote(format: $0.contentType.rawValue, bytes: $0.bytes, purpose: $0.purpose,
                                                           lawfulBasis: $0.lawfulBasis.label, recordedAt: $0.createdAt, file: file)
                    }))
            }
            guard rows.count == Self.pageSize, let last = rows.last else { return result }
            before = last.interaction.id
        }
    }

    /// Every entry about the person, newest first, and how each reads to them.
    private func accessLog(_ contact: ContactID, org: OrganizationID) async throws -> (entries: [AuditEntry], described: [SubjectExport.Access]) {
        var entries: [AuditEntry] = []
        var before: Int64?
        while true {
            let page = try await auditLog.entries(org: org, .init(contactID: contact, before: before, limit: Self.pageSize))
            entries += page
            guard page.count == Self.pageSize, let last = page.last else { break }
            before = last.seq
        }
        let staff = Dictionary(try await users.all(org: org).map { ($0.id.description, $0) }, uniquingKeysWith: { first, _ in first })
        let teamNames = Dictionary(try await teams.all(org: org).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let described = entries.map { entry in
            SubjectExport.Access(at: entry.record.at, by: Self.who(entry.record, staff: staff, teams: teamNames),
                                 action: AccessWording.describe(entry.record.action), fields: entry.record.fields)
        }
        return (entries, described)
    }

    /// A role and a team, never a name (the employee's own privacy).
    static func who(_ record: AuditRecord, staff: [String: StaffUser], teams: [TeamID: String]) -> String {
        switch record.actorKind {
        case .system: return "Guardline itself"
        case .token: return "a connected system (phone system or integration)"
        case .subject: return "you, on the privacy portal"
        case .user:
            guard let id = record.actorID, let user = staff[id] else { return "a former member of staff" }
            let role = switch user.role {
            case .admin: "an administrator"
            case .dpo: "the data protection team"
            case .supervisor: "a supervisor"
            case .agent: "an agent"
            }
            return user.teamID.flatMap { teams[$0] }.map { "\(role) of the \($0) team" } ?? role
        }
    }

    /// Where the record came from, as the audit chain has it.
    func sources(_ entries: [AuditEntry]) -> [String] {
        var sources: [String] = []
        for entry in entries.reversed() {
            let source: String? = switch entry.record.action {
            case "contact.create": entry.record.actorKind == .token ? "You were added by a connected system (API)." : "You were added by a member of staff, from what you told us."
            case "contact.import", "contact.import.match": "You were added from a list we imported."
            default: nil
            }
            if let source, !sources.contains(source) { sources.append(source) }
        }
        return sources.isEmpty ? ["We have no record of where your data came from beyond what you told us."] : sources
    }

    // MARK: The package

    /// `data.json`, `index.html` and the recordings' audio, opened under the person's key.
    func package(_ export: SubjectExport, contact: ContactID, org: OrganizationID) async throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var zip = ZipArchive(date: export.generatedAt)
        zip.add("data.json", Array(try encoder.encode(export)))
        zip.add("index.html", Array(page.render(SubjectExportPage.model(export)).utf8))
        let files = Dictionary(export.interactions.compactMap { i in i.recording?.file.map { (i.id, $0) } }, uniquingKeysWith: { first, _ in first })
        if !files.isEmpty {
            let key = try await directory.subjectKey(for: contact, org: org)
            let rows = try await recordings.forInteractions(files.keys.compactMap { InteractionID($0) }, org: org)
            for (interaction, recording) in rows {
                guard let path = files[interaction.description] else { continue }
                let cipher = RecordingCipher(key: key, org: org, contact: contact, recording: recording.id)
                let playback = RecordingPlayback(cipher: cipher, blobs: directory.blobs, key: BlobKey(org: org, id: recording.id))
                var audio: [UInt8] = []
                audio.reserveCapacity(Int(recording.bytes))
                for try await part in playback { audio += part }
                zip.add(path, audio)
            }
        }
        return zip.bytes
    }
}

/// The package's page: the export in plain language (Art. 12(1)), built from the same data as `data.json`.
enum SubjectExportPage {
    /// The page's template, from the module's resources.
    static func template() throws -> MustacheTemplate {
        guard let directory = ConsoleResources.directory("templates") else {
            throw GuardlineError(.unavailable, "The templates are missing from Guardline's resources; reinstall it.")
        }
        return try MustacheTemplate(string: String(contentsOfFile: directory + "/subject-export.mustache", encoding: .utf8))
    }

    static func model(_ export: SubjectExport) -> [String: Any] {
        let clock = UTCMoments()
        // Optionals are left out rather than boxed: Mustache renders a boxed nil as a value.
        var model: [String: Any] = [
            "organization": export.organization, "generated": clock.moment(export.generatedAt),
            "fields": export.fields.map { ["label": $0.label, "value": $0.value, "special": $0.specialCategory] },
            "purposes": export.purposes.map {
                ["name": $0.name, "description": $0.description, "basis": $0.lawfulBasis,
                 "kept": $0.retentionDays % 365 == 0 ? "\($0.retentionDays / 365) year\($0.retentionDays == 365 ? "" : "s")" : "\($0.retentionDays) days"]
            },
            "sources": export.sources,
            "objections": export.objections, "hasObjections": !export.objections.isEmpty,
            // The long lists are written here, escaped by `HTMLText`: through Mustache's
            // per-value lookups and escaping, 10,000 conversations took most of a second.
            "consentRows": HTMLText.rows(export.consents) { c in
                [clock.moment(c.at), c.purpose, c.channel, c.decision, c.source]
            },
            "hasConsents": !export.consents.isEmpty,
            "interactionCount": export.interactions.count,
            "interactionSections": HTMLText.conversations(export.interactions, clock: clock),
            "requests": export.requests.map { ["kind": RequestKind(rawValue: $0.kind)?.label ?? $0.kind, "state": RequestState(rawValue: $0.state)?.label ?? $0.state,
                                                "received": RequestDeadline.day($0.receivedAt)] },
            "accessCount": export.accessLog.count,
            "accessRows": HTMLText.rows(export.accessLog) { a in [clock.moment(a.at), a.by, a.action, a.fields.joined(separator: ", ")] },
        ]
        model["recipients"] = export.facts.recipients
        model["hasRecipients"] = !export.facts.recipients.isEmpty
        model["transfers"] = export.facts.transfers
        model["hasTransfers"] = !export.facts.transfers.isEmpty
        model["automated"] = export.facts.automatedDecisions ?? "No decision about you is taken by automated means alone, and you are not profiled."
        model["authority"] = export.facts.authority
        model["rights"] = export.rights
        model["campaigns"] = export.campaigns.map {
            ["campaign": $0.campaign, "purpose": $0.purpose, "channel": $0.channel, "state": $0.state, "attempts": $0.attempts, "outcome": $0.outcome ?? "—"]
        }
        model["hasCampaigns"] = !export.campaigns.isEmpty
        model["holds"] = export.holds.map { hold -> [String: Any] in
            var line: [String: Any] = ["ground": hold.ground]
            if !hold.fields.isEmpty { line["fields"] = hold.fields.joined(separator: ", ") }
            if let until = hold.until { line["until"] = RequestDeadline.day(until) }
            return line
        }
        if let since = export.recordSince { model["since"] = RequestDeadline.day(since) }
        if let stage = export.stage { model["stage"] = stage }
        model["reference"] = export.reference
        model["restricted"] = export.restrictedSince.map { ["since": RequestDeadline.day($0), "ground": export.restrictionGround ?? "not recorded"] }
        return model
    }
}

/// Times as the page shows them, in UTC, with one calendar for the whole page.
struct UTCMoments {
    private let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    func moment(_ date: Date) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(p.year ?? 0)-\(two(p.month))-\(two(p.day)) \(two(p.hour)):\(two(p.minute)) UTC"
    }
}

/// HTML for the page's long lists, escaped as Mustache escapes (`& < > " '`), a byte at a time.
enum HTMLText {
    static func escape(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
    }

    /// Table rows, one cell per value.
    static func rows<T>(_ items: [T], _ cells: (T) -> [String]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(items.count * 160)
        for item in items {
            out += Array("<tr>".utf8)
            for cell in cells(item) {
                out += Array("<td>".utf8)
                escape(cell, into: &out)
                out += Array("</td>".utf8)
            }
            out += Array("</tr>\n".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One section per conversation: when and how, then what was said as stored.
    static func conversations(_ items: [SubjectExport.Conversation], clock: UTCMoments) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(items.count * 600)
        func element(_ open: String, _ text: String?, _ close: String) {
            guard let text else { return }
            out += Array(open.utf8)
            escape(text, into: &out)
            out += Array(close.utf8)
        }
        for i in items {
            out += Array("<section>\n".utf8)
            element("<h3>", "\(clock.moment(i.startedAt)): \(i.channel), \(i.direction)", "</h3>\n")
            element("<p><strong>", i.content?.subject, "</strong></p>\n")
            element("<pre>", i.content?.body, "</pre>\n")
            let transcript = i.content?.transcript ?? []
            if !transcript.isEmpty {
                out += Array("<dl>".utf8)
                for turn in transcript {
                    element("<dt>", turn.speaker.rawValue, "</dt>")
                    element("<dd>", turn.text, "</dd>")
                }
                out += Array("</dl>\n".utf8)
            }
            element("<p>Notes: ", i.content?.notes, "</p>\n")
            element("<p class=\"muted\">Outcome: ", i.disposition, "</p>\n")
            element("<p class=\"muted\">", i.recording.map {
                "A recording of this call is kept (\($0.lawfulBasis)). " + ($0.file.map { "Its audio is in this package: \($0)." } ?? "It is too large for this package: ask us for it.")
            }, "</p>\n")
            out += Array("</section>\n".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
