import Foundation
import GuardlineCore
import Hummingbird

/// Purposes, journey stages, the privacy notice and the agent scripts for admins
/// (`manageCatalog`), through `Administration` and `NoticeLibrary`, as the API.
struct CatalogConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews
    var administration: Administration { Administration(services) }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/admin/purposes") { _, context in try await purposes(context, error: nil) }
        group.post("/admin/purposes/:key") { request, context in try await savePurpose(request, context) }
        group.post("/admin/stages") { request, context in try await saveStages(request, context) }
        group.get("/admin/notices") { request, context in try await notices(request.uri.queryParameters["purpose"].map(String.init), context, error: nil) }
        group.post("/admin/notices") { request, context in try await publish(request, context) }
        group.post("/admin/privacy-facts") { request, context in try await writeFacts(request, context) }
    }

    private func purposes(_ context: Context, error: String?) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        let warnings = try await administration.minimizationWarnings(by: principal)
        let stages = try await services.catalog.stages(org: principal.orgID)
        let purposes = try await services.catalog.purposes(org: principal.orgID)
        return views.render("admin-purposes", PurposesPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/purposes"),
            warnings: warnings.map { .init(field: $0.field.rawValue, message: $0.message) },
            purposes: purposes.map { PurposesPage.Row($0, stages: stages) },
            stagesText: stages.map { "\($0.key): \($0.label)" }.joined(separator: "\n"), error: error),
            status: error == nil ? .ok : .badRequest)
    }

    private func savePurpose(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            guard let key = context.parameters.get("key"), let basis = LawfulBasis(rawValue: form.text("lawfulBasis") ?? ""),
                  let days = Int(form.text("retentionDays") ?? "")
            else { throw GuardlineError.invalid("Give a lawful basis and a retention in days.") }
            let stages = try await services.catalog.stages(org: principal.orgID)
            try await administration.replacePurpose(Purpose(
                key: key, name: form.text("name") ?? "", description: form.text("description") ?? "", lawfulBasis: basis, retentionDays: days,
                channels: ContactChannel.allCases.filter { form["channel.\($0.rawValue)"] == "on" },
                stages: stages.map(\.key).filter { form["stage.\($0)"] == "on" }, active: form["active"] == "on"), by: principal)
            return ConsolePage.redirect("/admin/purposes")
        } catch let failure as GuardlineError where [.invalidInput, .notFound].contains(failure.code) {
            return try await purposes(context, error: failure.message)
        }
    }

    /// One stage per line, `key: label`.
    private func saveStages(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request)
        do {
            let stages = try (form["stages"] ?? "").split(whereSeparator: \.isNewline).compactMap { line -> JourneyStage? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let colon = text.firstIndex(of: ":") else { throw GuardlineError.invalid("Write each stage as key: label.") }
                return JourneyStage(key: text[..<colon].trimmingCharacters(in: .whitespaces),
                                    label: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            try await administration.setStages(stages, by: principal)
            return ConsolePage.redirect("/admin/purposes")
        } catch let failure as GuardlineError where [.invalidInput, .conflict].contains(failure.code) {
            return try await purposes(context, error: failure.message)
        }
    }

    private func notices(_ purpose: String?, _ context: Context, error: String?) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try principal.require(.manageCatalog, to: "edit privacy notices and scripts")
        let purposes = try await services.catalog.purposes(org: principal.orgID)
        let purpose = purpose.flatMap { key in purposes.first { $0.key == key } }
        let versions = try await services.notices.versions(purpose == nil ? .notice : .script, purpose: purpose?.key, org: principal.orgID)
        let facts = try await services.notices.privacyFacts(org: principal.orgID)
        return views.render("admin-notices", NoticesPage(
            chrome: Chrome(principal, csrf: csrf, current: "/admin/notices"),
            title: purpose.map { "Script: \($0.name)" } ?? "Privacy notice", purpose: purpose?.key,
            choices: [.init(value: "", label: "Privacy notice", selected: purpose == nil)]
                + purposes.filter { $0.lawfulBasis == .consent }.map { .init(value: $0.key, label: "Script: \($0.name)", selected: $0.key == purpose?.key) },
            current: versions[0].text,
            versions: versions.map {
                .init(version: $0.version, at: ConsentPanel.time($0.createdAt), hash: $0.hash, author: $0.createdBy == nil ? "drafted by Guardline" : "edited",
                      text: $0.text)
            }, error: error, showsFacts: purpose == nil, recipients: facts.recipients.joined(separator: "\n"),
            transfers: facts.transfers.joined(separator: "\n"), automated: facts.automatedDecisions ?? "", authority: facts.authority),
            status: error == nil ? .ok : .badRequest)
    }

    private func publish(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request, upTo: BodyLimitMiddleware<Context>.noticeLimit)
        let purpose = form.text("purpose")
        do {
            _ = try await services.notices.publish(purpose == nil ? .notice : .script, purpose: purpose, text: form["text"] ?? "", by: principal)
            return ConsolePage.redirect("/admin/notices" + (purpose.map { "?purpose=\($0)" } ?? ""))
        } catch let failure as GuardlineError where [.invalidInput, .notFound, .conflict].contains(failure.code) {
            return try await notices(purpose, context, error: failure.message)
        }
    }
}

struct PurposesPage {
    struct Warning {
        let field: String
        let message: String
    }

    struct Check {
        let value: String
        let label: String
        let checked: Bool
    }

    struct Row {
        let key: String
        let name: String
        let description: String
        let bases: [Check]
        let retentionDays: Int
        let channels: [Check]
        let stages: [Check]
        let active: Bool
        let consent: Bool

        init(_ purpose: Purpose, stages known: [JourneyStage]) {
            key = purpose.key
            name = purpose.name
            description = purpose.description
            bases = LawfulBasis.allCases.map { Check(value: $0.rawValue, label: $0.label, checked: $0 == purpose.lawfulBasis) }
            retentionDays = purpose.retentionDays
            channels = ContactChannel.allCases.map { Check(value: $0.rawValue, label: $0.label, checked: purpose.channels.contains($0)) }
            stages = known.map { Check(value: $0.key, label: $0.label, checked: purpose.stages.contains($0.key)) }
            active = purpose.active
            consent = purpose.lawfulBasis == .consent
        }
    }

    let chrome: Chrome
    let warnings: [Warning]
    let purposes: [Row]
    let stagesText: String
    let error: String?
}

extension CatalogConsoleController {
    /// Recipients, transfers, automated decisions and authority, one item per line.
    private func writeFacts(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request, upTo: BodyLimitMiddleware<Context>.noticeLimit)
        func lines(_ key: String) -> [String] {
            (form[key] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        do {
            _ = try await services.notices.setPrivacyFacts(
                PrivacyFacts(recipients: lines("recipients"), transfers: lines("transfers"), automatedDecisions: form.text("automated"),
                             authority: form["authority"] ?? ""),
                by: principal)
            return ConsolePage.redirect("/admin/notices")
        } catch let failure as GuardlineError where failure.code == .invalidInput {
            return try await notices(nil, context, error: failure.message)
        }
    }
}

struct NoticesPage {
    struct Version {
        let version: Int
        let at: String
        let hash: String
        let author: String
        let text: String
    }

    let chrome: Chrome
    let title: String
    /// Nil for the privacy notice.
    let purpose: String?
    let choices: [ConsentPanel.Option]
    let current: String
    let versions: [Version]
    let error: String?
    /// The privacy notice's page also holds what it says beyond the catalog.
    let showsFacts: Bool
    let recipients: String
    let transfers: String
    let automated: String
    let authority: String
}
