/// Reads RFC 4180 text as `CSVTable` writes it — quoted fields with doubled inner quotes, CRLF or LF
/// line ends — for the tools that read a report back (`compare`, `merge`). A file that is not such
/// text is refused with the line it broke on.
package enum CSVRecords {
    package struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the file.
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }

        package init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The records of `text`, each a list of fields; a final line end is optional.
    package static func parse(_ text: String) throws(ParseError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return scalars.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        afterQuote = true
                        pending = following
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\r":
                let following = next()
                guard following == "\n" else { throw ParseError(line: line, reason: "a carriage return without a line feed") }
                fallthrough
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuote = false
                line += 1
            case "\"":
                guard field.isEmpty, !afterQuote else { throw ParseError(line: line, reason: "a quote inside an unquoted field") }
                quoted = true
            default:
                guard !afterQuote else { throw ParseError(line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw ParseError(line: line, reason: "a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty || afterQuote {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
