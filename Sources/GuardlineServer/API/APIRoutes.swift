import Foundation
import GuardlineAPI

/// The API's paths and their methods, read from the OpenAPI document, so a
/// request with a method the document does not list for an existing path is
/// answered 405 with an `Allow` header instead of 404.
struct APIRoutes: Sendable {
    private let routes: [(segments: [String], methods: [String])]
    let prefix = "/api/v1"

    init(document: Data) throws {
        let root = try JSONSerialization.jsonObject(with: document) as? [String: Any]
        let paths = root?["paths"] as? [String: [String: Any]] ?? [:]
        let verbs: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        routes = paths.map { path, item in
            (path.split(separator: "/").map(String.init), item.keys.filter(verbs.contains).map { $0.uppercased() }.sorted())
        }
    }

    /// The methods the document allows on `path`, or nil if it does not describe the path.
    func allowedMethods(_ path: String) -> [String]? {
        guard path.hasPrefix(prefix + "/") else { return nil }
        let segments = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        let matches = routes.filter { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        return matches.isEmpty ? nil : Array(Set(matches.flatMap(\.methods))).sorted()
    }
}
