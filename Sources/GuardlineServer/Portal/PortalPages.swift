import Foundation
import GuardlineCore
import GuardlineStore

/// What every portal page shows around its content: the organization, the language and
/// the way to the other languages.
struct PortalChrome {
    struct Choice {
        let href: String
        let name: String
        let code: String
        let current: Bool
    }

    let t: [String: String]
    let lang: String
    let orgName: String
    let base: String
    let languages: [Choice]
    let error: String
    let hasError: Bool

    init(_ language: PortalLanguage, org: Organization, path: String, error: String? = nil) {
        t = language.table
        lang = language.rawValue
        orgName = org.name
        base = "/privacy/\(org.id)"
        languages = PortalLanguage.allCases.map { Choice(href: "\(path)\(path.contains("?") ? "&" : "?")lang=\($0.rawValue)", name: $0.name, code: $0.rawValue, current: $0 == language) }
        self.error = error ?? ""
        hasError = error != nil
    }
}

struct PortalStartPage {
    let chrome: PortalChrome
    let csrf: String
    let address: String
}

struct PortalCodePage {
    let chrome: PortalChrome
    let csrf: String
    let challenge: String
}

/// The signed-in person's page: their data, consents, limits and requests.
struct PortalHomePage {
    struct Field { let label: String; let value: String }
    struct Use { let name: String; let description: String; let basis: String; let retention: String }
    struct Consent {
        let purpose: String
        let name: String
        let channel: String
        let channelLabel: String
        let status: String
        let granted: Bool
        let mayGrant: Bool
    }
    struct Request {
        let id: String
        let kind: String
        let state: String
        let received: String
        let due: String
        let downloadable: Bool
        let until: String
    }
    struct Option { let value: String; let label: String }

    let chrome: PortalChrome
    let csrf: String
    let flash: String
    let hasFlash: Bool
    let fields: [Field]
    let uses: [Use]
    let recipients: [String]
    let transfers: [String]
    let automated: String
    let authority: String
    let notice: String
    let noticeVersion: Int
    let noticeID: String
    let consents: [Consent]
    let restricted: String
    let isRestricted: Bool
    let objections: [String]
    let holds: [String]
    let hasLimits: Bool
    let requests: [Request]
    let hasRequests: Bool
    let kinds: [Option]
    let objectable: [Option]
    let correctable: [Option]

    init(_ overview: PrivacyPortal.Overview, chrome: PortalChrome, language: PortalLanguage, csrf: String, flash: String?, now: Date) {
        self.chrome = chrome
        self.csrf = csrf
        self.flash = flash ?? ""
        hasFlash = flash != nil
        let export = overview.export
        fields = export.fields.map { Field(label: $0.label, value: $0.value) }
        uses = export.purposes.map {
            Use(name: $0.name, description: $0.description, basis: $0.lawfulBasis,
                retention: "\($0.retentionDays) \(language.text(.days))")
        }
        recipients = export.facts.recipients
        transfers = export.facts.transfers
        automated = export.facts.automatedDecisions ?? language.text(.noAutomated)
        authority = export.facts.authority
        notice = overview.notice.text
        noticeVersion = overview.notice.version
        noticeID = overview.notice.id.uuidString.lowercased()
        consents = overview.consents.map {
            let status = switch $0.decision {
            case .granted: language.text(.granted)
            case .withdrawn: language.text(.withdrawn)
            case .refused: language.text(.refused)
            case nil: language.text(.notGiven)
            }
            return Consent(purpose: $0.purpose.key, name: $0.purpose.name, channel: $0.channel.rawValue, channelLabel: $0.channel.label,
                           status: status, granted: $0.decision == .granted, mayGrant: $0.mayGrant && $0.decision != .granted)
        }
        restricted = export.restrictedSince.map(RequestDeadline.day) ?? ""
        isRestricted = export.restrictedSince != nil
        let names = Dictionary(export.purposes.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        objections = export.objections.map { names[$0] ?? $0 }
        let labels = Dictionary(export.fields.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        holds = overview.holds.map { hold in
            var line = language.ground(hold.ground)
            if !hold.fields.isEmpty { line += " (" + hold.fields.map { labels[$0] ?? $0 }.joined(separator: ", ") + ")" }
            if let until = hold.until { line += " \(language.text(.until)) \(RequestDeadline.day(until))" }
            return line
        }
        hasLimits = isRestricted || !objections.isEmpty || !holds.isEmpty
        requests = overview.requests.map { view in
            let r = view.request
            let until = RequestDesk.downloadable(r)
            return Request(
                id: r.id.description, kind: language.kind(r.kind), state: language.state(r.state), received: RequestDeadline.day(r.receivedAt),
                due: r.state.isOpen ? RequestDeadline.day(r.dueAt) : "", downloadable: until.map { now <= $0 } ?? false,
                until: until.map(RequestDeadline.day) ?? "")
        }
        hasRequests = !requests.isEmpty
        kinds = RequestKind.allCases.map { Option(value: $0.rawValue, label: language.kind($0)) }
        objectable = [Option(value: "", label: language.text(.marketingOption))] + overview.objectable.map { Option(value: $0.key, label: $0.name) }
        correctable = overview.correctable.map { Option(value: $0.key, label: $0.label) }
    }
}
