import Foundation

/// The parts of an interaction's content, each with its own redaction policy.
public enum ContentField: String, Sendable, Codable, CaseIterable {
    case subject
    case body
    case notes
    case transcript
}

/// Which policy each content field is redacted under: masked by default, so that
/// with nothing configured no original is ever stored.
public struct RedactionPolicies: Sendable, Equatable {
    public private(set) var policies: [ContentField: RedactionPolicy]

    public init(_ policies: [ContentField: RedactionPolicy] = [:]) { self.policies = policies }

    public subscript(field: ContentField) -> RedactionPolicy { policies[field] ?? .mask }

    /// Reads `notes=tokenize,transcript=mask` (`GUARDLINE_REDACTION`).
    public init(parsing text: String) throws {
        var policies: [ContentField: RedactionPolicy] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let field = ContentField(rawValue: parts[0]), let policy = RedactionPolicy(rawValue: parts[1]) else {
                throw GuardlineError.invalid(
                    "A redaction setting reads 'field=policy' with field one of \(ContentField.allCases.map(\.rawValue).joined(separator: ", ")) and policy 'mask' or 'tokenize' (got '\(item)').")
            }
            policies[field] = policy
        }
        self.policies = policies
    }
}

/// An interaction's content after the redactor, with what tokenizing kept aside.
public struct RedactedContent: Sendable, Equatable {
    public var content: InteractionContent
    /// Tokenized fields only: each token and the value it stands for, to be sealed apart.
    public var originals: [ContentField: [String: String]]
    /// How many values of each kind were found: counts, never values, for the audit entry.
    public var found: [RedactionKind: Int]

    public init(content: InteractionContent, originals: [ContentField: [String: String]], found: [RedactionKind: Int]) {
        self.content = content
        self.originals = originals
        self.found = found
    }
}

extension Redactor {
    /// Redacts each part of `content` under its field's policy. A transcript is read as
    /// one conversation (`redact(turns:)`), so a number split across turns is found whole.
    public func redact(_ content: InteractionContent, policies: RedactionPolicies) -> RedactedContent {
        var result = RedactedContent(content: InteractionContent(), originals: [:], found: [:])
        func apply(_ field: ContentField, _ text: String?) -> String? {
            guard let text else { return nil }
            let redacted = redact(text, policy: policies[field])
            keep(field, [redacted], into: &result)
            return redacted.text
        }
        result.content.subject = apply(.subject, content.subject)
        result.content.body = apply(.body, content.body)
        result.content.notes = apply(.notes, content.notes)
        if let turns = content.transcript {
            let redacted = redact(turns: turns.map(\.text), policy: policies[.transcript])
            keep(.transcript, redacted, into: &result)
            result.content.transcript = zip(turns, redacted).map { TranscriptTurn(speaker: $0.speaker, text: $1.text) }
        }
        return result
    }

    private func keep(_ field: ContentField, _ texts: [RedactedText], into result: inout RedactedContent) {
        for text in texts {
            for finding in text.findings { result.found[finding.kind, default: 0] += 1 }
            if !text.originals.isEmpty { result.originals[field, default: [:]].merge(text.originals) { first, _ in first } }
        }
    }
}
