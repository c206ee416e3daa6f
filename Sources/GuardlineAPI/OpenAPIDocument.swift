import Foundation

/// The API's OpenAPI document, served as is so it cannot drift from the code generated from it.
public enum OpenAPIDocument {
    public static func load() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
