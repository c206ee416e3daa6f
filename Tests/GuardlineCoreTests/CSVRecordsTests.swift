import GuardlineCore
import Testing

@Suite("CSV records (RFC 4180)") struct CSVRecordsTests {
    @Test("quotes, doubled quotes, commas and line breaks inside quotes; each record keeps its first line")
    func parses() throws {
        let text = "\u{FEFF}name,address\r\n\"Silva, Ana\",\"Rua \"\"A\"\", 1\nLisboa\"\r\n\nRui,\n"
        let records = try CSVRecords.parse(text)
        #expect(records == [
            .init(line: 1, fields: ["name", "address"]),
            .init(line: 2, fields: ["Silva, Ana", "Rua \"A\", 1\nLisboa"]),
            .init(line: 5, fields: ["Rui", ""]),
        ])
    }

    @Test("old Mac line ends, a line break in quotes and a last line of spaces")
    func lineEnds() throws {
        let records = try CSVRecords.parse("a,b\r\"x\ry\",2\r3,4\r   \r")
        #expect(records == [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["x\ry", "2"]), .init(line: 4, fields: ["3", "4"])])
    }

    @Test("a stray or unclosed quote is reported with its line")
    func malformed() {
        #expect(throws: CSVRecords.Malformed(line: 2, reason: "A quoted field is never closed.")) {
            try CSVRecords.parse("a,b\n\"open,x\n")
        }
        #expect(throws: CSVRecords.Malformed.self) { try CSVRecords.parse("a,b\nab\"c,d\n") }
        #expect(throws: CSVRecords.Malformed.self) { try CSVRecords.parse("a,b\n\"ab\"c,d\n") }
    }
}
