import GuardlineCore
import GuardlineStore
import NIOConcurrencyHelpers

/// Changes and their entries: on PostgreSQL in one transaction, on SQLite the
/// entry first and a `.failed` entry after a change that failed.
extension AuditWriter {
    /// Makes a change and records it, so that no entry claims a change that was not
    /// made. On PostgreSQL `change` gets a step to run inside its own transaction: the
    /// entry commits with the change or not at all. On SQLite, whose trail is a file
    /// that no transaction spans with the data, the entry is written first (no change
    /// goes unrecorded) and an `<action>.failed` entry follows a change that failed.
    public func recording<R: Sendable>(_ record: AuditRecord, _ change: (TransactionStep?) async throws -> R) async throws -> R {
        guard log.appendsInTransaction else {
            try await append(record)
            do {
                return try await change(nil)
            } catch {
                var failed = record
                failed.action += ".failed"
                try? await append(failed)
                throw error
            }
        }
        let written = NIOLockedValueBox<[AuditEntry]?>(nil)
        let result = try await change { [log, sign] db in
            do {
                let entries = try await log.append([record], in: db, sign: sign)
                written.withLockedValue { $0 = entries }
            } catch {
                throw self.refusal(records: 1, error)
            }
        }
        guard let entries = written.withLockedValue({ $0 }) else {
            // Every change runs the step; one that did not is a defect to see in the log,
            // and its entry still goes in, after it.
            logger.error("A change was made without its audit step; recorded after it", metadata: ["guardline.action": "\(record.action)"])
            try await append(record)
            return result
        }
        witness(entries.filter { $0.seq % log.checkpointInterval == 0 })
        return result
    }

    /// Counts and logs entries that could not be written, and says why their action was refused.
    func refusal(records count: Int, _ error: any Error) -> GuardlineError {
        failures.increment(by: count)
        // The cause's type and the count only: entries and their errors can name people's contacts.
        logger.error("Audit entries could not be written; their actions were refused", metadata: [
            "guardline.audit_entries": "\(count)", "guardline.error_type": "\(type(of: error))",
        ])
        return GuardlineError(.unavailable, "The audit log could not be written, so the action was not carried out.", cause: error)
    }
}
