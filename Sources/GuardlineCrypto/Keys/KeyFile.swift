import Foundation
import GuardlineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file holding one key, private to its owner. Created with `O_EXCL` and mode
/// 0600 in one call, so no other process can slip a file of its own in first or
/// read it in between; a key file that group or others may read is refused, since
/// its key must be taken as known.
enum KeyFile {
    /// The file's contents, or nil if there is no file.
    static func read(_ path: String, what: String) throws -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard errno == ENOENT else { throw GuardlineError(.unavailable, "Could not read \(what) at \(path) (\(String(cString: strerror(errno)))).") }
            return nil
        }
        guard info.st_mode & 0o077 == 0 else {
            throw GuardlineError(.unavailable,
                "\(what) at \(path) may be read by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); its key must be taken as known. Replace the key or, if no one else could read it, run `chmod 600 \(path)`.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GuardlineError(.unavailable, "Could not read \(what) at \(path); check its permissions.")
        }
        return data
    }

    /// Writes a new file; fails if one already exists rather than replace a key.
    static func create(_ path: String, contents: Data, what: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw GuardlineError(.unavailable, "Could not create \(what) at \(path) (\(String(cString: strerror(errno)))); check that its folder is writable and no such file exists.")
        }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count, fsync(descriptor) == 0 else {
            throw GuardlineError(.unavailable, "Could not write \(what) at \(path).")
        }
    }
}
