/// RFC 4180 records: comma-separated, fields optionally in double quotes (a quote
/// inside written twice, line breaks allowed inside quotes), lines ending in CRLF or LF.
/// Each record keeps the line it starts on, so a problem is reported where a person
/// finds it in their spreadsheet.
public enum CSVRecords {
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public struct Malformed: Error, Sendable, Equatable {
        public let line: Int
        public let reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// Every record, blank lines skipped; a byte-order mark at the start is ignored.
    public static func parse(_ text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var wasQuoted = false
        var afterQuote = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0

        func endRecord() {
            fields.append(field)
            // A blank line (or one of spaces, as spreadsheets leave at the end) is no record.
            let blank = fields.count == 1 && !wasQuoted && fields[0].unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" }
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            wasQuoted = false
            afterQuote = false
        }

        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                switch scalar {
                case "\"":
                    if index < scalars.count, scalars[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                case "\n":
                    line += 1
                    field.unicodeScalars.append(scalar)
                case "\r":
                    // A line break inside a field, as CRLF (counted at its LF) or a lone CR.
                    if index >= scalars.count || scalars[index] != "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                default:
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r" where index < scalars.count && scalars[index] == "\n":
                continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !afterQuote else {
                    throw Malformed(line: line, reason: "A quote inside an unquoted field: put the whole field in quotes and write the quote twice.")
                }
                quoted = true
                wasQuoted = true
            default:
                guard !afterQuote else {
                    throw Malformed(line: line, reason: "Text after a closing quote: a quoted field must end at the comma or the end of the line.")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Malformed(line: recordLine, reason: "A quoted field is never closed.") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
