/// A JSON document with a fixed rendering: keys in the order given, two-space indentation, numbers
/// exactly as formatted by the caller. Foundation's encoder would choose float spellings and key
/// orders itself; the report promises the same bytes for the same input.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number already formatted (for example `1234.567`), written without quotes.
    case number(String)
    case bool(Bool)
    case null

    static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    static func milliseconds(_ value: Duration?) -> JSONValue { value.map { .number($0.millisecondsText) } ?? .null }
    static func optionalString(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The document's text, ending with a newline.
    var text: String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let digits): out += digits
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(into: &out, indent: indent + 2)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, (key, value)) in members.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                Self.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 2)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// The opening of an object written a member at a time: `{`, then `members` as `write` puts them,
    /// each followed by a comma (more members follow), and the next member's key, indented for
    /// `indent`. The caller writes that member's value and then `close(indent:)`.
    static func open(_ members: [(String, JSONValue)], thenKey key: String, into out: inout String, indent: Int) {
        out += "{\n"
        for (name, value) in members {
            out += String(repeating: " ", count: indent + 2)
            writeString(name, into: &out)
            out += ": "
            value.write(into: &out, indent: indent + 2)
            out += ",\n"
        }
        out += String(repeating: " ", count: indent + 2)
        writeString(key, into: &out)
        out += ": "
    }

    /// The end of an object opened by `open`, after its last member's value.
    static func close(indent: Int) -> String {
        "\n" + String(repeating: " ", count: indent) + "}"
    }

    /// An array's item as an array streamed an item at a time holds it: a comma, a line break, the
    /// indentation and the item. `streamedArray` drops the first item's comma.
    static func streamedItem(_ item: JSONValue, indent: Int) -> String {
        var out = ",\n" + String(repeating: " ", count: indent + 2)
        item.write(into: &out, indent: indent + 2)
        return out
    }

    /// RFC 8259 string escaping; U+2028/U+2029 and `<` are escaped too so that the text can be
    /// pasted into a `<script>` or JavaScript source without ending it.
    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        // Nearly every string in a report is plain printable ASCII with nothing to escape: appended
        // whole, not scalar by scalar (this loop was the largest part of rendering summary.json).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C && $0 != 0x3C }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += unicodeEscape(scalar.value) } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
