import Foundation
import GuardlineCore
import Hummingbird
import Logging
import OpenAPIRuntime

/// Turns every error into an answer that explains itself: problem+json
/// (RFC 9457) under /api, a small HTML page elsewhere. Internal detail is
/// logged (by type, never with values) and never sent.
struct ErrorResponder<Context: RequestContext>: RouterMiddleware {
    let apiRoutes: APIRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let allowed = apiRoutes.allowedMethods(request.uri.path) {
                var response = Problem(status: .methodNotAllowed, detail: "\(request.method) is not an operation of this path; it accepts \(allowed.joined(separator: ", ")).").jsonResponse()
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            return render(error, request, context)
        } catch {
            return render(error, request, context)
        }
    }

    private func render(_ error: any Error, _ request: Request, _ context: Context) -> Response {
        let problem = Problem(error)
        let cause = (error as? ServerError)?.underlyingError ?? error
        // A client that went away is not an error of ours.
        if problem.httpStatus == .internalServerError, !(cause is CancellationError) {
            context.logger.error("Unhandled error", metadata: ["guardline.error_type": "\(type(of: cause))", "guardline.path": "\(context.endpointPath ?? "-")"])
        }
        if request.uri.path.hasPrefix("/api/") {
            return problem.jsonResponse()
        }
        var page = ConsolePage.error(status: problem.httpStatus, detail: problem.detail)
        if let retryAfter = problem.retryAfter { page.headers[.retryAfter] = String(retryAfter) }
        return page
    }
}

struct Problem: Encodable {
    let type = "about:blank"
    let title: String
    let status: Int
    let detail: String
    /// Seconds for `Retry-After` on a 429; a header, not part of the body.
    var retryAfter: Int?

    private enum CodingKeys: String, CodingKey { case type, title, status, detail }

    var httpStatus: HTTPResponse.Status { .init(code: status) }

    init(status: HTTPResponse.Status, detail: String) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
    }

    init(_ error: any Error) {
        switch error {
        case let error as GuardlineError:
            self.init(status: Self.status(error.code), detail: error.message)
            retryAfter = error.retryAfter
        case let error as ServerError:
            if let inner = error.underlyingError as? GuardlineError {
                self.init(status: Self.status(inner.code), detail: inner.message)
                retryAfter = inner.retryAfter
            } else if let decoding = error.underlyingError as? DecodingError {
                self.init(status: .badRequest, detail: Self.explain(decoding, operation: error.operationID))
            } else if let http = error.underlyingError as? HTTPError {
                self.init(status: http.status, detail: http.body ?? Self.defaultDetail(http.status))
            } else if error.operationInput != nil {
                // The request was decoded and the handler failed (a store fault): not the client's doing.
                self.init(status: .internalServerError, detail: "Something went wrong on our side; the error is logged.")
            } else {
                self.init(status: .badRequest, detail: "The request does not match the API document for '\(error.operationID)': check the Content-Type (application/json), that the body is valid JSON with only documented properties, and that parameters have the documented types.")
            }
        case let error as HTTPError:
            self.init(status: error.status, detail: error.body ?? Self.defaultDetail(error.status))
        case let error as DecodingError:
            self.init(status: .badRequest, detail: Self.explain(error, operation: nil))
        default:
            self.init(status: .internalServerError, detail: "Something went wrong on our side; the error is logged.")
        }
    }

    static func status(_ code: GuardlineError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidInput: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooManyAttempts: .tooManyRequests
        case .payloadTooLarge: .contentTooLarge
        case .gone: .gone
        default: .serviceUnavailable
        }
    }

    static func defaultDetail(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "There is nothing at this address."
        case .methodNotAllowed: "This address does not accept that method."
        case .contentTooLarge: "The request body is larger than this server accepts."
        default: status.reasonPhrase
        }
    }

    /// Names the place in the JSON that is wrong and what was expected, never the value found there.
    static func explain(_ error: DecodingError, operation: String?) -> String {
        func path(_ context: DecodingError.Context) -> String {
            // Keys of free-form maps come from the client; only plain identifiers are echoed.
            let keys = context.codingPath.map { key in
                key.intValue.map { "[\($0)]" } ?? (key.stringValue.count <= 40 && key.stringValue.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
                    ? key.stringValue : "(key)")
            }
            let joined = keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return joined.isEmpty ? "the body" : "'\(joined.count > 120 ? String(joined.prefix(120)) + "…" : joined)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing required property '\(key.stringValue.prefix(40))' in \(path(context))."
        case .typeMismatch(let type, let context):
            return "\(path(context)) has the wrong type; expected \(type)."
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null; expected \(type)."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "The body is not valid JSON, or has properties the API does not accept."
                : "\(path(context)) has a value that is not allowed here."
        @unknown default:
            return "The body does not match the API document."
        }
    }

    func jsonResponse() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(self)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: httpStatus, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
