/// An RFC 4180 table that cannot smuggle a formula into a spreadsheet.
///
/// Scenario names and descriptions are untrusted; a cell like `=HYPERLINK(...)` would run in
/// Excel or LibreOffice when a release engineer opens the CSV. Text cells starting with `=`, `+`,
/// `-`, `@`, tab or carriage return therefore get a leading apostrophe (the OWASP recommendation).
/// Numbers are a separate kind of cell so that negative figures (a negative regret) stay numeric.
struct CSVTable {
    /// One cell: text is guarded against formulas, numbers are written as given.
    enum Cell {
        case text(String)
        case number(String)
        case empty
    }

    let header: [String]
    private(set) var rows: [[Cell]] = []

    init(header: [String]) {
        self.header = header
    }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == header.count, "a CSV row must have one cell per column")
        rows.append(row)
    }

    /// The table as RFC 4180 text: CRLF line ends, quoted fields where needed.
    var text: String {
        var out = header.map(Self.quoted).joined(separator: ",") + "\r\n"
        for row in rows { out += Self.line(row, columns: header.count) }
        return out
    }

    /// One row as a line of the table, for tables written a row at a time.
    static func line(_ row: [Cell], columns: Int) -> String {
        precondition(row.count == columns, "a CSV row must have one cell per column")
        return row.map(render).joined(separator: ",") + "\r\n"
    }

    static func render(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case .number(let digits): digits
        case .text(let text): quoted(neutralised(text))
        }
    }

    /// Prefixes an apostrophe to text a spreadsheet would read as a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + text
        default: return text
        }
    }

    /// Quotes a field when it holds a comma, a quote or a line break, doubling inner quotes.
    static func quoted(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}
