import Foundation
import GuardlineCore
import Hummingbird

/// Refuses `null` in API request bodies where the OpenAPI document does not allow
/// it. The generated decoder reads a null like an absent property, so `"password":
/// null` or `"purposes": null` would pass as "leave it unchanged" although the
/// document says a string or a list goes there. Nulls the document allows: a
/// contact field's value (it clears the field) and a token's `expiresInDays`.
struct JSONNullMiddleware<Context: RequestContext>: RouterMiddleware {
    static func allowsNull(at path: [String]) -> Bool {
        (path.count == 2 && path[0] == "fields") || path == ["expiresInDays"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put || request.method == .patch,
              request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true
        else { return try await next(request, context) }
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        request.body = .init(buffer: buffer)
        // A body that is not JSON is for the decoder to explain.
        if let root = try? JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed]),
           let path = Self.firstNull(in: root, at: []) {
            let name = path.last.map { $0.count <= 40 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? $0 : "(key)" } ?? "the body"
            throw GuardlineError.invalid("'\(name)' is null; leave it out instead (null is not a value here).")
        }
        return try await next(request, context)
    }

    private static func firstNull(in value: Any, at path: [String]) -> [String]? {
        switch value {
        case is NSNull:
            return allowsNull(at: path) ? nil : path
        case let object as [String: Any]:
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                if let found = firstNull(in: child, at: path + [key]) { return found }
            }
            return nil
        case let array as [Any]:
            for child in array {
                if let found = firstNull(in: child, at: path + ["[]"]) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
