import GuardlineCore
import SQLKit

/// A row of a long scan: read in place from SQLite's cursor, or through SQLKit (PostgreSQL).
/// Columns are taken by position; SQLKit's rows are asked by the names the scan declares.
enum ScanRow {
    case cursor(SQLiteCursor)
    case row(any SQLRow, columns: [String])

    init(cursor: SQLiteCursor) { self = .cursor(cursor) }

    init(row: any SQLRow, columns: [String]) { self = .row(row, columns: columns) }

    /// A contact id as the key a list build sorts by, parsed in place on SQLite.
    func key(_ column: Int) throws -> ContactKey {
        let key: ContactKey? = switch self {
        case .cursor(let cursor): ContactKey(ascii: cursor.requiredBytes(Int32(column)))
        case .row(let row, let columns): ContactKey(try row.decode(column: columns[column], as: String.self))
        }
        guard let key else { throw GuardlineError(.unavailable, "A scanned row holds a malformed id.") }
        return key
    }

    func text(_ column: Int) throws -> String {
        switch self {
        case .cursor(let cursor): String(decoding: cursor.requiredBytes(Int32(column)), as: UTF8.self)
        case .row(let row, let columns): try row.decode(column: columns[column], as: String.self)
        }
    }

    /// An integer column holding 0 or 1.
    func flag(_ column: Int) throws -> Bool {
        switch self {
        case .cursor(let cursor): cursor.int64(Int32(column)) != 0
        case .row(let row, let columns): try row.decode(column: columns[column], as: Int64.self) != 0
        }
    }
}
