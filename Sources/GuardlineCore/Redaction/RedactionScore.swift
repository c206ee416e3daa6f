import Foundation

/// How well a redactor's findings match labeled personal data, the measure its corpus
/// test and its benchmark both quote: recall is the share of labeled values wholly
/// covered by findings (a value half-masked is missed); precision is the share of
/// findings that touch a labeled value.
public struct RedactionScore: Sendable {
    public private(set) var labeled = 0
    public private(set) var covered = 0
    public private(set) var found = 0
    public private(set) var relevant = 0
    /// Per labeled kind: how many there were, how many were wholly covered.
    public private(set) var byKind: [String: Count] = [:]
    /// "<sample> <kind>" of each value missed, and "<sample> <kind>" of each finding that touched none.
    public private(set) var missed: [String] = []
    public private(set) var spurious: [String] = []

    public struct Count: Sendable, Equatable {
        public var labeled = 0
        public var covered = 0
    }

    /// One labeled text of a corpus (a JSON line): its turns, read as one conversation,
    /// and the values in them that are personal data, each located at its first occurrence.
    public struct Sample: Sendable, Decodable {
        public struct Label: Sendable, Decodable {
            public let kind: String
            public let text: String
        }

        public let id: String
        public let turns: [String]
        public let entities: [Label]

        /// The turns as the redactor reads a transcript: one text, a newline between turns.
        public var text: String { turns.joined(separator: "\n") }

        /// A corpus file: one sample per line.
        public static func corpus(_ jsonLines: String) throws -> [Sample] {
            try jsonLines.split(separator: "\n").map { try JSONDecoder().decode(Sample.self, from: Data($0.utf8)) }
        }
    }

    public init() {}

    public var recall: Double { labeled == 0 ? 1 : Double(covered) / Double(labeled) }
    public var precision: Double { found == 0 ? 1 : Double(relevant) / Double(found) }

    /// Scores one sample with the byte ranges found in its text. Answers the labels not in the text.
    @discardableResult
    public mutating func add(_ sample: Sample, findings: [Range<Int>]) -> [String] {
        add(sample: sample.id, text: sample.text, labels: sample.entities.map { ($0.kind, $0.text) }, findings: findings)
    }

    /// Scores one text: `labels` are (kind, value) with each value located at its first
    /// occurrence; `findings` are byte ranges in the UTF-8 text. Answers the labels not found in the text.
    @discardableResult
    public mutating func add(sample: String, text: String, labels: [(kind: String, value: String)], findings: [Range<Int>]) -> [String] {
        let bytes = Array(text.utf8)
        var spans: [Range<Int>] = []
        var absent: [String] = []
        for label in labels {
            let needle = Array(label.value.utf8)
            guard !needle.isEmpty, needle.count <= bytes.count,
                  let start = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
            else {
                absent.append(label.value)
                continue
            }
            let span = start..<(start + needle.count)
            spans.append(span)
            labeled += 1
            byKind[label.kind, default: Count()].labeled += 1
            if span.allSatisfy({ byte in findings.contains { $0.contains(byte) } }) {
                covered += 1
                byKind[label.kind, default: Count()].covered += 1
            } else {
                missed.append("\(sample) \(label.kind)")
            }
        }
        for finding in findings {
            found += 1
            if spans.contains(where: { $0.overlaps(finding) }) { relevant += 1 } else { spurious.append("\(sample) at \(finding.lowerBound)") }
        }
        return absent
    }
}
