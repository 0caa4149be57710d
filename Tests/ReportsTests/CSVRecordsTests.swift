import Testing
@testable import Reports

/// Reading a report's CSV back (`compare`): what `CSVTable` writes, and a clear line for what it never does.
@Suite struct CSVRecordsTests {
    @Test func csvRecordsReadWhatTheWriterWrites() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n1,\"two\nlines\",3\n"
        #expect(try CSVRecords.parse(text) == [["a", "b", "c"], ["x, y", "say \"hi\"", ""], ["1", "two\nlines", "3"]])
        #expect(throws: CSVRecords.ParseError(line: 2, reason: "a quoted field is not closed")) {
            try CSVRecords.parse("a\n\"open")
        }
        #expect(throws: CSVRecords.ParseError(line: 1, reason: "a quote inside an unquoted field")) {
            try CSVRecords.parse("ab\"c\n")
        }
    }

    @Test func aWrittenTableReadsBackFieldForField() throws {
        var table = CSVTable(header: ["name", "note"])
        table.append([.text("a, \"b\""), .text("two\nlines")])
        table.append([.text("=sum"), .empty])
        #expect(try CSVRecords.parse(table.text) == [["name", "note"], ["a, \"b\"", "two\nlines"], ["'=sum", ""]])
    }
}
