import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// Copies the write-ahead log back into the database file on a thread and a
/// connection of its own, so no commit (and no caller waiting for one) pays
/// for the copy and the file sync. A passive checkpoint never blocks the
/// writer or the readers; it copies what no reader still needs, and the log
/// starts over once everything is copied.
final class Checkpointer: Sendable {
    /// About 16 MB of log with 4 KB pages.
    static let threshold = 4_000

    private let path: String
    private let attachments: [SQLiteHandle.Attachment]
    private let thread: NIOThreadPool
    private let running = Atomic<Bool>(false)
    private let connection = NIOLockedValueBox<SQLiteHandle?>(nil)
    private let truncations = NIOLockedValueBox(Truncations())

    init(path: String, attaching attachments: [SQLiteHandle.Attachment]) {
        self.path = path
        self.attachments = attachments
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Called by the writer after each commit to any of its files; at most one
    /// checkpoint runs at a time, and it covers every attached file.
    func committed(walPages: Int) {
        guard walPages >= Self.threshold, running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        thread.submit { [self] state in
            defer { running.store(false, ordering: .releasing) }
            guard case .active = state else { return }
            // A failed checkpoint is retried at the next commit; the data is safe in the log meanwhile.
            try? connection.withLockedValue { handle in
                if handle == nil { handle = try SQLiteHandle(path: path, role: .checkpointer, attaching: attachments) }
                try handle?.run("PRAGMA wal_checkpoint(PASSIVE)", []) { _ in true }
            }
        }
    }

    /// Empties the log (a TRUNCATE checkpoint) on this thread, again and again until no
    /// reader holds it any more: after a key's destruction the log still holds the key's
    /// page as it was, and a passive checkpoint never empties the log. Gives up only at shutdown.
    func truncateUntilDone(retryAfter delay: TimeAmount = .milliseconds(100)) {
        // One retry chain at a time: each request is numbered, and the chain runs until a
        // truncation that began after the latest request has succeeded.
        let start = truncations.withLockedValue { state -> Bool in
            state.wanted += 1
            defer { state.running = true }
            return !state.running
        }
        if start { retry(after: delay) }
    }

    private func retry(after delay: TimeAmount) {
        thread.submit { [self] state in
            guard case .active = state else { return }
            let target = truncations.withLockedValue { $0.wanted }
            let done = (try? connection.withLockedValue { handle -> Bool in
                if handle == nil { handle = try SQLiteHandle(path: path, role: .checkpointer, attaching: attachments) }
                var complete = false
                // One row: whether the checkpoint was blocked, then the log's and the copied page counts.
                try handle?.run("PRAGMA wal_checkpoint(TRUNCATE)", []) { row in
                    complete = row.int64(0) == 0
                    return false
                }
                return complete
            }) ?? false
            let more = truncations.withLockedValue { state -> Bool in
                if done { state.done = target }
                state.running = state.done < state.wanted
                return state.running
            }
            if more {
                if !done { usleep(UInt32(delay.nanoseconds / 1_000)) }
                retry(after: delay)
            }
        }
    }

    /// Truncations asked for and those known done (each one covers every request made before it began).
    struct Truncations: Sendable {
        var wanted = 0
        var done = 0
        var running = false
    }

    /// Whether a requested truncation has not succeeded yet.
    var truncationPending: Bool { truncations.withLockedValue { $0.done < $0.wanted } }

    func shutdown() async {
        try? await thread.shutdownGracefully()
        connection.withLockedValue { $0 = nil }
    }
}
