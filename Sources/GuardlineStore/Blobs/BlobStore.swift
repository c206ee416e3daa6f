import Foundation
import GuardlineCore

/// Where large sealed objects (call recordings) live, apart from the database. Blobs
/// arrive sealed: a store sees ciphertext only, so a copy of it (a backup, a bucket)
/// is unreadable once the contact's key is destroyed. The seam for an object store.
public protocol BlobStore: Sendable {
    /// A new blob, written in pieces; visible only once committed.
    func create(_ key: BlobKey) throws -> any BlobWriter
    /// The blob's bytes in pieces, or nil if there is none.
    func open(_ key: BlobKey) throws -> (any BlobReader)?
    func delete(_ key: BlobKey) throws
}

public protocol BlobWriter: AnyObject {
    func write(_ bytes: [UInt8]) throws
    func commit() throws
    /// Drops what was written; safe to call after a failed write.
    func abort()
}

public protocol BlobReader: AnyObject {
    /// Up to `count` bytes; empty at the end.
    func read(upTo count: Int) throws -> [UInt8]
    func close()
}

/// A blob's name: its organization and its id, both UUIDs, so a key is never a path.
public struct BlobKey: Sendable, Hashable {
    public let org: OrganizationID
    public let id: UUID

    public init(org: OrganizationID, id: UUID) {
        self.org = org
        self.id = id
    }
}

/// Blobs as files under a folder (`DATA_DIR/recordings` by default), one folder per
/// organization, created with mode 0600; written to a `.part` file and renamed into
/// place once synced, so a crash never leaves a half blob under the final name.
public struct LocalBlobStore: BlobStore {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    func path(_ key: BlobKey) -> String { "\(directory)/\(key.org)/\(key.id.uuidString.lowercased()).glrec" }

    public func create(_ key: BlobKey) throws -> any BlobWriter {
        let folder = "\(directory)/\(key.org)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let final = path(key)
        guard !FileManager.default.fileExists(atPath: final) else {
            throw GuardlineError(.conflict, "A blob with this id exists already.")
        }
        return try FileBlobWriter(partial: final + ".part", final: final)
    }

    public func open(_ key: BlobKey) throws -> (any BlobReader)? {
        guard let handle = FileHandle(forReadingAtPath: path(key)) else { return nil }
        return FileBlobReader(handle: handle)
    }

    public func delete(_ key: BlobKey) throws {
        let path = path(key)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}

final class FileBlobWriter: BlobWriter {
    let partial: String
    let final: String
    private let descriptor: Int32
    private var closed = false

    init(partial: String, final: String) throws {
        self.partial = partial
        self.final = final
        unlink(partial)
        descriptor = Foundation.open(partial, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw GuardlineError(.unavailable, "The blob store could not create a file (errno \(errno)).") }
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw GuardlineError(.unavailable, "The blob store could not write (errno \(errno)).") }
            offset += written
        }
    }

    func commit() throws {
        guard fsync(descriptor) == 0 else { throw GuardlineError(.unavailable, "The blob store could not sync (errno \(errno)).") }
        close(descriptor)
        closed = true
        guard rename(partial, final) == 0 else { throw GuardlineError(.unavailable, "The blob store could not commit (errno \(errno)).") }
    }

    func abort() {
        if !closed { close(descriptor) }
        closed = true
        unlink(partial)
    }

    deinit { if !closed { close(descriptor); unlink(partial) } }
}

final class FileBlobReader: BlobReader {
    private let handle: FileHandle

    init(handle: FileHandle) { self.handle = handle }

    func read(upTo count: Int) throws -> [UInt8] { Array(try handle.read(upToCount: count) ?? Data()) }

    func close() { try? handle.close() }

    deinit { try? handle.close() }
}
