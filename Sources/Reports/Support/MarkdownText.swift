/// Escaping for GitHub-flavoured Markdown table cells.
enum MarkdownText {
    /// Text that stays inside its table cell and renders literally: pipes and backslashes are
    /// escaped, line breaks become spaces, and `<`, `>` and `&` become entities because GitHub renders
    /// inline HTML in job summaries. Markdown's emphasis and link characters are backslash-escaped
    /// so that a scenario named `*x*` or `[x](y)` is shown as written.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "|", "*", "_", "`", "[", "]", "#", "~": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
