import Foundation
import Hummingbird
import Mustache

/// Renders console pages: a Swift model (one per page, in `Models/`) through
/// a Mustache view (`Resources/templates`), escaped by default.
struct ConsoleViews: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> ConsoleViews {
        guard let directory = ConsoleResources.directory("templates") else {
            throw HTTPError(.internalServerError, message: "The console templates are missing from the build.")
        }
        return ConsoleViews(library: try await MustacheLibrary(directory: directory))
    }

    func render(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            return ConsolePage.error(status: .internalServerError, detail: "The page template '\(template)' is missing.")
        }
        return ConsolePage.html(html, status: status)
    }
}

enum ConsolePage {
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page that needs no template, so errors render even if templates fail.
    static func error(status: HTTPResponse.Status, detail: String) -> Response {
        let title = escape("\(status.code) \(status.reasonPhrase)")
        return html("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title) · Guardline</title>
            <link rel="stylesheet" href="/static/console.css"></head>
            <body><main class="narrow"><h1>\(title)</h1><p class="error">\(escape(detail))</p>
            <p><a href="/lookup">Back to the console</a></p></main></body></html>
            """, status: status)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Form bodies (`application/x-www-form-urlencoded`) as a dictionary; repeated keys keep the last value.
struct FormBody: Sendable {
    let values: [String: String]

    init(_ request: Request, upTo limit: Int = 64 * 1024) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let text = String(buffer: buffer)
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.values = values
    }

    subscript(key: String) -> String? { values[key] }

    /// A non-empty trimmed value, or nil.
    func text(_ key: String) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
