import Foundation
import GuardlineCore
import Logging
import ServiceLifecycle

/// Finishes erasures a hold held back once no hold stands: every hour (and at start), each
/// person an erasure left partly kept (`erasure_held_at`) and on whom every hold was lifted or
/// passed its date is erased in full by Guardline itself (audited as such).
public struct HeldErasureSweep: Service {
    let directory: ContactDirectory
    let interval: Duration = .seconds(3600)
    let logger = Logger(label: "guardline.retention")

    public init(directory: ContactDirectory) { self.directory = directory }

    /// Until the server shuts down: a graceful shutdown cancels the wait between passes.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await sweep()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One pass: every person whose erasure a hold held back and on whom no hold stands any more
    /// is erased in full. One that fails is tried again at the next pass (they stay marked).
    func sweep() async {
        do {
            var finished = 0, failed = 0
            for (org, contact) in try await directory.contacts.heldErasuresDue(at: directory.clock.now) {
                do {
                    if try await directory.finishHeldErasure(contact, org: org) { finished += 1 }
                } catch {
                    failed += 1
                }
            }
            if finished + failed > 0 {
                logger.info("Held erasures finished after their holds ended", metadata: ["guardline.finished": "\(finished)", "guardline.failed": "\(failed)"])
            }
        } catch {
            logger.error("The sweep of ended erasure holds failed; it runs again within the hour", metadata: ["guardline.error": "\(type(of: error))"])
        }
    }
}
