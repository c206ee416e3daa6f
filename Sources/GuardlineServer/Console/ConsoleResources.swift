import Foundation

/// Finds the console's templates and static files in the module bundle,
/// whose layout differs between Linux (`X.resources/Resources/...`) and
/// Apple platforms (`X.bundle/Contents/Resources/Resources/...`).
enum ConsoleResources {
    static func directory(_ name: String) -> String? {
        let candidates = [Bundle.module.bundlePath + "/Resources/" + name, (Bundle.module.resourcePath ?? "") + "/Resources/" + name,
                          (Bundle.module.resourcePath ?? "") + "/" + name]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
