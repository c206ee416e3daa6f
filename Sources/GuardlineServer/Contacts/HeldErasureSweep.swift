import Foundation
import GuardlineCore
import Logging
import ServiceLifecycle

/// Finishes erasures a hold held back once its date passes: every hour (and at start), holds
/// whose `until` is past are marked ended, and each person they were on, with no hold left
/// and an answered erasure request, is erased in full by Guardline itself (audited as such).
public struct HeldErasureSweep: Service {
    let directory: ContactDirectory
    let interval: Duration = .seconds(3600)
    let logger = Logger(label: "guardline.retention")

    public init(directory: ContactDirectory) { self.directory = directory }

    public func run() async throws {
        while !Task.isCancelled {
            await sweep()
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass; a person whose erasure fails is left for the next (named by count only).
    func sweep() async {
        do {
            var finished = 0, failed = 0
            for (org, contact) in try await directory.holds.settleExpired(at: directory.clock.now) {
                do {
                    if try await directory.finishHeldErasure(contact, org: org, by: .system) { finished += 1 }
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
