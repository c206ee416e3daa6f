import Benchmark
import Foundation
import GuardlineCore

// Target (issue 11): the redactor at least 10 times Presidio's characters per second on
// the same labeled corpora (Tests/RedactionCorpus: corpus.jsonl and heldout.jsonl), with higher recall and
// precision. `Benchmarks/presidio.py` measures Presidio's pattern recognizers on it and
// writes its figures beside these; `Benchmarks/run` prints them side by side.

/// The labeled corpus, redacted `copies` times a pass.
struct RedactionCorpus {
    let samples: [RedactionScore.Sample]
    /// Copies of the corpus redacted per iteration, for a few megabytes a pass.
    static let copies = 200
    /// The corpus made with the redactor, and the one written apart from it.
    static let files = ["corpus.jsonl", "heldout.jsonl"]

    static func load() throws -> RedactionCorpus {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var samples: [RedactionScore.Sample] = []
        for file in files {
            samples += try RedactionScore.Sample.corpus(String(contentsOf: root.appendingPathComponent("Tests/RedactionCorpus/\(file)"), encoding: .utf8))
        }
        return RedactionCorpus(samples: samples)
    }

    var bytes: Int { samples.reduce(0) { $0 + $1.text.utf8.count } }
}

/// Redacts every sample of the corpus, `copies` times per iteration, as transcripts (turn by turn).
func redactionThroughput() {
    let tally = Tally(name: "RedactionThroughput", unit: "bytes")
    let shared = Shared<RedactionCorpus>()
    Benchmark("RedactionThroughput", configuration: .init(metrics: [.wallClock, .cpuTotal], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
        let corpus = try shared.value
        let redactor = Redactor()
        let clock = ContinuousClock()
        let began = clock.now
        var findings = 0
        for _ in 0..<RedactionCorpus.copies {
            for sample in corpus.samples { findings += redactor.redact(turns: sample.turns).reduce(0) { $0 + $1.findings.count } }
        }
        let elapsed = began.duration(to: clock.now)
        blackHole(findings)
        benchmark.stopMeasurement()
        if benchmark.isMeasuring {
            tally.add(operations: corpus.bytes * RedactionCorpus.copies, elapsed: elapsed, latencies: [elapsed.nanoseconds])
        }
    } setup: {
        let corpus = try RedactionCorpus.load()
        shared.set(corpus)
        var score = RedactionScore()
        let redactor = Redactor()
        for sample in corpus.samples { score.add(sample, findings: redactor.findings(in: sample.text).map(\.range)) }
        tally.note(String(format: "%d samples, %d bytes x %d a pass; recall %.3f, precision %.3f (%d values)",
                          corpus.samples.count, corpus.bytes, RedactionCorpus.copies, score.recall, score.precision, score.labeled))
    } teardown: {
        try tally.write()
    }
}
