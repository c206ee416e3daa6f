import CoreMetrics
import Synchronization

/// Counts the audit writer's batches through its one metric, the queue-depth
/// gauge: `AuditWriter` records 0 exactly once when it takes a batch to write.
/// Appends divided by batches gives the mean group-commit batch size, which
/// explains most of the audit path's throughput. Costs one atomic add per batch.
final class AuditBatchProbe: MetricsFactory, RecorderHandler, Sendable {
    static let shared = AuditBatchProbe()
    private static let bootstrapped = Mutex(false)

    private let batches = Atomic<Int>(0)

    /// Installs the probe as the process's metrics backend; call before opening the services.
    static func install() {
        Self.bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(shared)
            done = true
        }
    }

    var batchCount: Int { batches.load(ordering: .relaxed) }

    func record(_ value: Int64) { if value == 0 { batches.add(1, ordering: .relaxed) } }
    func record(_ value: Double) { if value == 0 { batches.add(1, ordering: .relaxed) } }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        label == "guardline_audit_queue_depth" ? self : NOOPMetricsHandler.instance
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { NOOPMetricsHandler.instance }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        NOOPMetricsHandler.instance
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { NOOPMetricsHandler.instance }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { NOOPMetricsHandler.instance }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
