import VaporCSQLite

/// What the embedded SQLite holds in memory (page caches, statements), for the benchmarks'
/// account of a process's memory: its readers' page caches are sized for the screen pop.
public enum SQLiteMemory {
    /// Bytes SQLite has allocated now, and the most it held since the last `resetPeak`.
    public static var used: Int64 { sqlite_nio_sqlite3_memory_used() }
    public static var peak: Int64 { sqlite_nio_sqlite3_memory_highwater(0) }
    public static func resetPeak() { _ = sqlite_nio_sqlite3_memory_highwater(1) }
}
