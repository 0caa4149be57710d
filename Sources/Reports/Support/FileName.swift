/// File names derived from scenario and policy names, which come from untrusted files.
///
/// The result only ever contains ASCII letters, digits, `-`, `_` and `.`, never starts with a dot
/// and never is empty, so it cannot name a parent folder, a hidden file or a path.
enum FileName {
    /// The longest slug; long names are cut so that the full file name stays well under 255 bytes.
    static let maximumLength = 60

    static func slug(_ text: String, fallback: String) -> String {
        var out = ""
        var lastWasDash = false
        for scalar in text.unicodeScalars {
            let keep = scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "_" || scalar == ".")
            if keep {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                out += "-"
                lastWasDash = true
            }
        }
        while let first = out.first, first == "." || first == "-" { out.removeFirst() }
        if out.count > maximumLength { out = String(out.prefix(maximumLength)) }
        while let last = out.last, last == "." || last == "-" { out.removeLast() }
        return out.isEmpty ? fallback : out
    }
}
