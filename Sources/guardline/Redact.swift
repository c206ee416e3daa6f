import ArgumentParser
import Foundation
import GuardlineCore

/// `guardline redact`: the server's redactor on standard input, for checking what it
/// catches before notes or transcripts go in, and for scripts that clean exports.
struct Redact: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Redact card numbers and security codes, IBANs, emails, phone numbers and national ids from standard input.",
        discussion: """
            Reads UTF-8 text on standard input and writes it redacted to standard output, with the same redactor the \
            server uses: numbers written or read aloud (English, Portuguese), checked by their check digits. With \
            --transcript each line is one turn of a conversation, so a number read across two turns, or a code asked \
            for in one and given in the next, is found whole.
            """)

    @Flag(help: "Read each line as one turn of a conversation.") var transcript = false

    func run() throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let redactor = Redactor()
        let output: String
        if transcript {
            var lines = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let endsWithNewline = lines.last == ""
            if endsWithNewline { lines.removeLast() }
            output = redactor.redact(turns: lines).map(\.text).joined(separator: "\n") + (endsWithNewline ? "\n" : "")
        } else {
            output = redactor.redact(input).text
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
