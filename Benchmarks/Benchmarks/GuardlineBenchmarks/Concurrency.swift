import Benchmark
import Foundation
import NIOPosix
import Synchronization

/// Hands out operation numbers to concurrent workers.
final class Cursor: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

/// Runs `operations` calls of `body` on `concurrency` tasks that each take
/// the next operation as soon as their previous one is done (a closed loop,
/// like agents each waiting for their screen pop). Returns the wall time of
/// the whole batch and the latency of every call in nanoseconds.
func runConcurrently(
    operations: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void
) async throws -> (elapsed: Duration, latencies: [Int64]) {
    let cursor = Cursor()
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withTaskExecutorPreference(WorkerThreads.shared) {
        try await withThrowingTaskGroup(of: [Int64].self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var latencies: [Int64] = []
                latencies.reserveCapacity(operations / concurrency + 1)
                while true {
                    let operation = cursor.next()
                    guard operation < operations else { break }
                    let began = clock.now
                    try await body(operation)
                    latencies.append(began.duration(to: clock.now).nanoseconds)
                }
                return latencies
            }
        }
        var all: [Int64] = []
        all.reserveCapacity(operations)
        for try await part in group { all += part }
        return all
        }
    }
    return (start.duration(to: clock.now), latencies)
}

/// One thread per core for the calls under measurement. The benchmark runner
/// waits for each benchmark on a semaphore in one of Swift's cooperative
/// threads (`Benchmark.runAsync`), which on two cores leaves the calls a
/// single thread; a server has both. Actors without an executor of their
/// own (the audit writer) run here too, as the tasks prefer this executor.
final class WorkerThreads: TaskExecutor, @unchecked Sendable {
    static let shared = WorkerThreads(count: ProcessInfo.processInfo.activeProcessorCount)

    private let pool: NIOThreadPool

    init(count: Int) {
        pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var seconds: Double { Double(nanoseconds) / 1e9 }
}

/// What one benchmark measured over its measured iterations (warm-up excluded),
/// written for `Benchmarks/run` to print side by side with the others.
final class Tally: @unchecked Sendable {
    let name: String
    let unit: String
    private let lock = NSLock()
    private var operations = 0
    private var elapsed: Duration = .zero
    private var latencies: [Int64] = []
    private var auditBatches = 0
    private var notes: [String] = []

    init(name: String, unit: String) {
        self.name = name
        self.unit = unit
    }

    func add(operations: Int, elapsed: Duration, latencies: [Int64] = [], auditBatches: Int = 0) {
        lock.withLock {
            self.operations += operations
            self.elapsed += elapsed
            self.latencies += latencies
            self.auditBatches += auditBatches
        }
    }

    func note(_ text: String) { lock.withLock { if !notes.contains(text) { notes.append(text) } } }

    /// One tab-separated line: name, unit, operations, seconds, rate/s, p50 µs, p90 µs, p99 µs, max µs, notes.
    func write() throws {
        let line: String = lock.withLock {
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> String {
                guard !sorted.isEmpty else { return "-" }
                let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
                return String(format: "%.0f", Double(sorted[max(0, index)]) / 1_000)
            }
            let seconds = elapsed.seconds
            let rate = seconds > 0 ? Double(operations) / seconds : 0
            var notes = self.notes
            if auditBatches > 0 {
                notes.append(String(format: "audit group commit: %d batches, mean %.1f entries per batch",
                                    auditBatches, Double(operations) / Double(auditBatches)))
            }
            return [
                name, unit, String(operations), String(format: "%.3f", seconds), String(format: "%.0f", rate),
                percentile(0.50), percentile(0.90), percentile(0.99), percentile(1.0), notes.joined(separator: "; "),
            ].joined(separator: "\t") + "\n"
        }
        try FileManager.default.createDirectory(atPath: BenchData.results, withIntermediateDirectories: true)
        let file = name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        try Data(line.utf8).write(to: URL(fileURLWithPath: "\(BenchData.results)/\(String(file)).tsv"))
    }
}

extension Benchmark {
    /// True for measured iterations, false during warm-up.
    var isMeasuring: Bool { currentIteration >= configuration.warmupIterations }
}
