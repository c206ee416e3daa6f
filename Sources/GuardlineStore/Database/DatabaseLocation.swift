import Foundation
import GuardlineCore

/// Where a database lives: an SQLite file (the embedded default) or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `postgres://` or `postgresql://` URLs select PostgreSQL; `sqlite:PATH` or a bare path select SQLite.
    public init(parsing value: String) {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value.hasPrefix("sqlite://") {
            self = .sqlite(path: String(value.dropFirst("sqlite://".count)))
        } else if value.hasPrefix("sqlite:") {
            self = .sqlite(path: String(value.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: value)
        }
    }

    /// The SQLite file holding the audit trail of the data file at `path`:
    /// `guardline.sqlite` keeps it in `guardline-audit.sqlite` beside it.
    /// (On PostgreSQL the audit tables stay in the data database.)
    public static func auditTrailPath(forDataFile path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.pathExtension.isEmpty ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)"
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-audit\(suffix)").path
    }

    /// Safe to log: the PostgreSQL password is replaced.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://(unparseable url)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://"
        }
    }
}

/// The two stores Guardline opens: the data, and apart from it the subject keys
/// (their own SQLite file; their own schema in PostgreSQL), so the keys can be
/// backed up on their own, short schedule and erasure by crypto-shredding holds.
public struct StoreConfiguration: Sendable {
    public var data: DatabaseLocation
    public var keys: DatabaseLocation

    public init(data: DatabaseLocation, keys: DatabaseLocation) {
        self.data = data
        self.keys = keys
    }

    /// The defaults under a data directory: `guardline.sqlite` (with its audit
    /// trail in `guardline-audit.sqlite`) and `keys.sqlite`.
    /// On PostgreSQL the key store shares the server but not the schema.
    /// `keyDatabaseURL` puts the key store in a database of its own (recommended on
    /// PostgreSQL, so that data and keys are backed up apart as on SQLite).
    public static func resolve(dataDirectory: String, databaseURL: String?, keyDatabaseURL: String? = nil) -> StoreConfiguration {
        let data = databaseURL.map(DatabaseLocation.init(parsing:)) ?? .sqlite(path: "\(dataDirectory)/guardline.sqlite")
        if let keyDatabaseURL { return StoreConfiguration(data: data, keys: DatabaseLocation(parsing: keyDatabaseURL)) }
        switch data {
        case .postgres: return StoreConfiguration(data: data, keys: data)
        case .sqlite: return StoreConfiguration(data: data, keys: .sqlite(path: "\(dataDirectory)/keys.sqlite"))
        }
    }
}
