import NIOConcurrencyHelpers

/// Short writes from many callers gathered into one transaction on the writer's thread, as
/// the audit writer gathers its entries: while one batch runs, the next fills. Each write
/// runs in a savepoint of its own, so one that fails leaves the others; all of them are
/// answered once the batch has committed. For writes that come in bursts and are small
/// (call events): one visit to the writer and one commit for many, instead of one each.
final class WriteBatcher: Sendable {
    /// A write: runs on the writer, answers what to resume its caller with after the commit.
    struct Job: Sendable {
        let run: @Sendable (EmbeddedSQLite.WriterSession) -> Result<any Sendable, any Error>
        let resume: @Sendable (Result<any Sendable, any Error>) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var scheduled = false
    }

    private let state = NIOLockedValueBox(State())

    func submit<R: Sendable>(to database: EmbeddedSQLite, _ body: @escaping @Sendable (EmbeddedSQLite.WriterSession) throws -> R) async throws -> R {
        let result: Result<any Sendable, any Error> = await withCheckedContinuation { continuation in
            let job = Job(run: { session in Result { try body(session) } }, resume: { continuation.resume(returning: $0) })
            let schedule = state.withLockedValue { state -> Bool in
                state.jobs.append(job)
                guard !state.scheduled else { return false }
                state.scheduled = true
                return true
            }
            if schedule { database.schedule { handle in self.drain(handle, database) } }
        }
        guard let value = try result.get() as? R else { throw SQLiteBatchError.mismatchedResult }
        return value
    }

    private func drain(_ handle: SQLiteHandle?, _ database: EmbeddedSQLite) {
        let jobs = state.withLockedValue { state -> [Job] in
            defer {
                state.jobs = []
                state.scheduled = false
            }
            return state.jobs
        }
        guard let handle else {
            for job in jobs { job.resume(.failure(SQLiteBatchError.shuttingDown)) }
            return
        }
        let session = EmbeddedSQLite.WriterSession(database: database, handle: handle)
        var results: [Result<any Sendable, any Error>] = []
        do {
            try handle.execute("BEGIN IMMEDIATE")
            for job in jobs {
                try handle.execute("SAVEPOINT job")
                let result = job.run(session)
                if case .failure = result { try handle.execute("ROLLBACK TO job") }
                try handle.execute("RELEASE job")
                results.append(result)
            }
            try handle.execute("COMMIT")
        } catch {
            try? handle.execute("ROLLBACK")
            for job in jobs { job.resume(.failure(error)) }
            return
        }
        for (job, result) in zip(jobs, results) { job.resume(result) }
    }
}

enum SQLiteBatchError: Error, CustomStringConvertible {
    case shuttingDown
    case mismatchedResult

    var description: String {
        switch self {
        case .shuttingDown: "The database is shutting down; the write was not made."
        case .mismatchedResult: "A batched write answered a value of another type (a defect)."
        }
    }
}
