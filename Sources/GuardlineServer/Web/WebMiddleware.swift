import Foundation
import GuardlineCore
import HTTPTypes
import Hummingbird

/// Headers on every response: a CSP with no inline script and no framing,
/// no MIME sniffing, no referrer, and no caching of pages that hold personal data.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = request.uri.path.hasPrefix("/static/") ? "max-age=3600" : "no-store"
        // The OpenAPI runtime percent-encodes header values; a download's name is ours (a kind and a
        // date), and browsers read this header as written.
        if response.headers[.contentType] == "application/zip", let disposition = response.headers[.contentDisposition], disposition.contains("%"),
           let decoded = disposition.removingPercentEncoding, !decoded.contains(where: \.isNewline) {
            response.headers[.contentDisposition] = decoded
        }
        // Only over TLS: browsers ignore it on plain HTTP, and it must not pin a plain-HTTP demo.
        if RequestOrigin.current.tls { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

/// Refuses bodies over the limit with 413 before anything reads them.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let standardLimit: Int
    let recordingLimit: Int64

    init(limit: Int, recordingLimit: Int64 = 200 * 1024 * 1024) {
        standardLimit = limit
        self.recordingLimit = recordingLimit
    }

    /// Privacy notices and scripts run to 20,000 characters, which JSON- or form-escaped
    /// can take 12 bytes each: their routes take up to this much, whatever the standard limit.
    static var noticeLimit: Int { 256 * 1024 }
    static var noticePaths: Set<String> { ["/api/v1/notices", "/admin/notices", "/api/v1/privacy-facts", "/admin/privacy-facts"] }
    /// The console's import page posts a CSV file of up to `ImportConsoleController.maxFileBytes`,
    /// base64 in a form field. That body is read only once the session is known to hold
    /// `importContacts` (`ConsoleSessionMiddleware`): here it is only measured.
    static var importLimit: Int { 16 * 1024 * 1024 }
    static var importPath: String { "/contacts/import" }

    /// Emails and transcripts run to 50,000 characters a part (`InteractionDesk.maxText`),
    /// up to 12 bytes each escaped: logging and wrapping up interactions take up to this much.
    static var interactionLimit: Int { 1024 * 1024 }

    /// A recording's upload streams to the blob store: never collected here, its size
    /// counted as it is read (`RecordingDesk.upload`).
    static func isRecordingUpload(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "interactions" && parts[4] == "recording"
    }

    static func isInteractionPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        switch parts.count {
        case 3: return parts[0] == "contacts" && parts[2] == "interactions" || parts[0] == "interactions" && parts[2] == "wrap-up"
        case 4: return parts[0] == "api" && parts[1] == "v1" && parts[2] == "interactions"
        case 5: return parts[0] == "api" && parts[1] == "v1" && parts[2] == "contacts" && parts[4] == "interactions"
        default: return false
        }
    }

    /// How large a body `path` takes: the standard limit, or more for the routes above.
    static func limit(for path: String, standard: Int) -> Int {
        if noticePaths.contains(path) { return max(standard, noticeLimit) }
        if isInteractionPath(path) { return max(standard, interactionLimit) }
        if path == importPath { return max(standard, importLimit) }
        return standard
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isRecordingUpload(request.uri.path), request.method == .put {
            if let length = request.headers[.contentLength].flatMap(Int64.init), length > recordingLimit {
                throw GuardlineError(.payloadTooLarge, "The recording is \(length) bytes; this server keeps at most \(recordingLimit).")
            }
            return try await next(request, context)
        }
        let limit = Self.limit(for: request.uri.path, standard: standardLimit)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw GuardlineError(.payloadTooLarge, "The request body is \(length) bytes; this server accepts at most \(limit).")
        }
        guard request.uri.path != Self.importPath else { return try await next(request, context) }
        var request = request
        if request.method == .post || request.method == .put || request.method == .patch || request.headers[.transferEncoding] != nil {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch {
                throw GuardlineError(.payloadTooLarge, "The request body is larger than this server accepts (\(limit) bytes).")
            }
            request.body = .init(buffer: buffer)
        }
        return try await next(request, context)
    }
}

/// Resolves the bearer token of an API request and runs the rest of the
/// request with it as the task-local `Principal`. Requests without a token
/// go on anonymously; each operation decides whether it needs one.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw GuardlineError(.unauthorized, "Use 'Authorization: Bearer <token>'.")
        }
        let principal = try await authenticator.principal(bearer: String(parts[1]))
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }
}
