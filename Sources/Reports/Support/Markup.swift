/// Escaping for XML (JUnit) and HTML (the report page and its SVG).
package enum Markup {
    /// Text safe inside an element or a quoted attribute, in XML 1.0 and HTML alike.
    ///
    /// Besides the five special characters, control characters XML 1.0 forbids (everything below
    /// U+0020 except tab, LF and CR, plus U+FFFE/U+FFFF) become U+FFFD: a scenario description with a
    /// stray escape byte must not make `junit.xml` unreadable for the CI system.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // As character references, so that a line break survives inside an attribute value
            // (XML parsers turn a literal one into a space).
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
