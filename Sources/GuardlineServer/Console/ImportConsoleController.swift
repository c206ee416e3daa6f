import Foundation
import GuardlineCore
import Hummingbird

/// The console's CSV import (`importContacts`, the DPO's by default): the same
/// `ContactImport` as `guardline import contacts`, for a file the browser sends.
struct ImportConsoleController {
    typealias Context = GuardlineRequestContext

    let services: GuardlineServices
    let views: ConsoleViews

    /// Larger files go through the command line on the server.
    static let maxFileBytes = 10 * 1024 * 1024
    /// Problems listed on the page; the downloadable report has them all.
    static let problemsShown = 200
    /// The report rides in the page as a link (browsers refuse longer ones); a longer one comes from the command line.
    static let maxReportBytes = 1024 * 1024

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("/contacts/import") { _, context in try await page(context, result: nil, status: .ok) }
        group.post("/contacts/import") { request, context in try await upload(request, context) }
    }

    private func page(_ context: Context, result: ContactImportPage.Result?, flash: String? = nil, status: HTTPResponse.Status) async throws -> Response {
        let (principal, csrf, _) = try context.consoleUser()
        try principal.require(.importContacts, to: "import contacts in bulk")
        let catalog = try await services.catalogs.catalog(for: principal.orgID)
        return views.render("contact-import", ContactImportPage(
            chrome: Chrome(principal, csrf: csrf, current: "/contacts/import", flash: flash),
            fields: catalog.fields.map(\.key.rawValue).joined(separator: ", "), maxMegabytes: Self.maxFileBytes / 1024 / 1024,
            result: result), status: status)
    }

    private func upload(_ request: Request, _ context: Context) async throws -> Response {
        let (principal, _, _) = try context.consoleUser()
        let form = try await FormBody(request, upTo: BodyLimitMiddleware<Context>.importLimit)
        do {
            let data: Data
            if let encoded = form.text("file") {
                // The file's own bytes, so its hash is the file's.
                guard let decoded = Data(base64Encoded: encoded) else { throw GuardlineError.invalid("The file did not arrive whole; choose it again.") }
                data = decoded
            } else if let pasted = form["csv"], !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                data = Data(pasted.utf8)
            } else {
                throw GuardlineError.invalid("Choose a CSV file, or paste its rows.")
            }
            guard data.count <= Self.maxFileBytes else {
                throw GuardlineError(.payloadTooLarge, "The file is larger than \(Self.maxFileBytes / 1024 / 1024) MB: run guardline import contacts on the server.")
            }
            let report = try await services.imports.run(data, validOnly: form["validOnly"] == "true", by: principal, channel: "console")
            return try await page(context, result: ContactImportPage.Result(report, validOnly: form["validOnly"] == "true"), status: .ok)
        } catch let failure as GuardlineError where [.invalidInput, .payloadTooLarge].contains(failure.code) {
            return try await page(context, result: nil, flash: failure.message, status: failure.code == .payloadTooLarge ? .contentTooLarge : .badRequest)
        }
    }
}

struct ContactImportPage {
    struct Result {
        struct Problem {
            let line: Int
            let reason: String
        }

        let rows: Int
        let imported: Int
        let problemCount: Int
        let fileHash: String
        let refused: Bool
        let hasProblems: Bool
        let problems: [Problem]
        let more: Int?
        /// The report of the rows not imported (line and reason, no value from the file), for the download
        /// link; nil if it is too long to ride in the page.
        let reportBase64: String?

        init(_ report: ContactImport.Report, validOnly: Bool) {
            rows = report.rows
            imported = report.imported
            problemCount = report.problems.count
            fileHash = report.fileHash
            refused = !report.problems.isEmpty && !validOnly
            hasProblems = !report.problems.isEmpty
            problems = report.problems.prefix(ImportConsoleController.problemsShown).map { Problem(line: $0.line, reason: $0.reason) }
            more = report.problems.count > ImportConsoleController.problemsShown ? report.problems.count - ImportConsoleController.problemsShown : nil
            let csv = Data(report.problemsCSV.utf8)
            reportBase64 = csv.count <= ImportConsoleController.maxReportBytes ? csv.base64EncodedString() : nil
        }
    }

    let chrome: Chrome
    let fields: String
    let maxMegabytes: Int
    let result: Result?
}
