import Connector
import Yams

/// Walks a composed YAML tree into a `Scenario`, collecting every problem instead of stopping at the
/// first: an author fixing a file wants the whole list in one go.
///
/// Every node keeps its libyaml mark, so each diagnostic points at the key or value at fault. Only the
/// shapes the format defines are descended into, so a hostile tree (deep nesting, alias bombs) costs
/// no more than the schema's depth.
struct ScenarioDecoder {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// What the file allows but its author may not mean (a key that has no effect where it stands, a
    /// duplicate): said as `warning:` lines, never a reason to refuse the file. The format is a public
    /// interface, so a value it accepts stays accepted.
    private(set) var warnings: [Diagnostic] = []
    /// Names of the policies the file declares, valid or not: an expectation about a custom policy
    /// that has its own errors is not reported a second time as naming an unknown policy.
    var declaredPolicyNames: Set<String> = []

    init(file: String) {
        self.file = file
    }

    /// The names of the built-in presets, in the order a file without `policies:` runs them.
    static let presetNames = Preset.all.map(\.name)

    // MARK: Reporting

    mutating func report(_ position: Position?, _ message: String, _ hint: String) {
        diagnostics.append(diagnostic(at: position, message, hint))
    }

    mutating func report(_ node: Node, _ message: String, _ hint: String) {
        report(Position(node), message, hint)
    }

    mutating func warn(_ node: Node, _ message: String, _ hint: String) {
        warnings.append(diagnostic(at: Position(node), message, hint))
    }

    /// A problem or a warning at `position` of this file (1:1 for nodes built in code).
    private func diagnostic(at position: Position?, _ message: String, _ hint: String) -> Diagnostic {
        Diagnostic(
            file: file, line: max(position?.line ?? 1, 1), column: max(position?.column ?? 1, 1),
            message: message, hint: hint)
    }

    // MARK: Shapes

    /// The known keys of a mapping node, each with its key node (for marks) and value; unknown keys are
    /// reported with the nearest known one.
    mutating func fields(of node: Node, in section: String, known: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(node, "\(section) must be a mapping, found \(describe(node))",
                   "write one 'key: value' per line; keys: " + known.joined(separator: ", "))
            return nil
        }
        var fields = Fields(node: node)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, "a key in \(section) must be a plain word, found \(describe(key))",
                       "keys: " + known.joined(separator: ", "))
                continue
            }
            let name = scalar.string
            guard known.contains(name) else {
                report(key, "unknown key '\(name)' in \(section)",
                       KeySuggestion.hint(for: name, in: known, what: "known keys"))
                if let near = KeySuggestion.nearest(to: name, in: known) { fields.misspelt.insert(near) }
                continue
            }
            fields.entries[name] = Fields.Entry(key: key, value: value)
        }
        return fields
    }

    /// The items of a sequence node; a single scalar where a list is expected is reported.
    mutating func items(of node: Node, what: String, example: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, "\(what) must be a list, found \(describe(node))", "write it as \(example)")
            return nil
        }
        return Array(sequence)
    }

    /// A scalar's text; mappings and lists are reported.
    mutating func text(_ node: Node, what: String, example: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, "\(what) must be a single value, found \(describe(node))", "write it as \(example)")
            return nil
        }
        return scalar.string
    }

    /// The mark of the character `offset` characters into a single-line scalar, so a problem in one
    /// part of a value (one URL of a streamer list) points at that part.
    func position(of node: Node, offset: Int) -> Position? {
        guard case .scalar(let scalar) = node, let mark = node.mark, !scalar.string.contains("\n") else {
            return Position(node)
        }
        switch scalar.style {
        case .plain, .any: return Position(line: mark.line, column: mark.column + offset)
        case .singleQuoted, .doubleQuoted: return Position(line: mark.line, column: mark.column + 1 + offset)
        case .literal, .folded: return Position(node)
        }
    }

    /// A whole number in `range`.
    mutating func integer(_ node: Node, what: String, range: ClosedRange<Int>) -> Int? {
        let example = "\(what): \(range.lowerBound)"
        guard let text = text(node, what: what, example: example) else { return nil }
        guard let value = Self.plainInteger(text) else {
            if ValueSyntax.isDigits(text.trimmingWhitespace()) {
                // A whole number too big for any integer is out of range, not malformed.
                report(node, "\(what) \(text.trimmingWhitespace()) is out of range",
                       "write a number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            report(node, "\(what) must be a whole number, found '\(text)'",
                   "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(value) else {
            report(node, "\(what) \(value) is out of range",
                   "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A TCP port, 1–65535.
    mutating func port(_ node: Node, what: String = "port") -> Int? {
        integer(node, what: what, range: 1...65535)
    }

    mutating func boolean(_ node: Node, what: String) -> Bool? {
        guard let text = text(node, what: what, example: "\(what): true") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, "\(what) must be true or false, found '\(text)'", "write \(what): true or \(what): false")
            return nil
        }
    }

    /// A non-negative duration in the file's forms.
    mutating func duration(_ node: Node, what: String) -> Duration? {
        guard let text = text(node, what: what, example: "\(what): 250ms") else { return nil }
        if text.trimmingWhitespace().hasPrefix("-") {
            report(node, "\(what) cannot be negative, found '\(text)'", ValueSyntax.durationForms)
            return nil
        }
        guard let value = ValueSyntax.duration(text) else {
            if ValueSyntax.durationOverflows(text) {
                report(node, "'\(text)' is too long for \(what); the longest duration is \(ValueSyntax.longestDurationHours)h",
                       "write a realistic value, like 30s")
                return nil
            }
            report(node, "'\(text)' is not a duration for \(what)", ValueSyntax.durationForms)
            return nil
        }
        return value
    }

    /// A duration that must be longer than zero (a timeout, a `within`); zero is reported with `hint`.
    mutating func positiveDuration(_ node: Node, what: String, hint: String) -> Duration? {
        guard let value = duration(node, what: what) else { return nil }
        guard value > .zero else {
            report(node, "\(what) must be longer than zero", hint)
            return nil
        }
        return value
    }

    /// One value from a closed set of names.
    mutating func choice(_ node: Node, what: String, names: [String]) -> String? {
        guard let text = text(node, what: what, example: "\(what): \(names[0])") else { return nil }
        guard names.contains(text) else {
            let near = KeySuggestion.nearest(to: text, in: names).map { "did you mean '\($0)'? " } ?? ""
            report(node, "'\(text)' is not a valid \(what)", near + "one of: " + names.joined(separator: ", "))
            return nil
        }
        return text
    }

    /// `-?digits` only: YAML's hexadecimal, octal and `1_000` forms are not what a port or a count
    /// means in these files.
    static func plainInteger(_ text: String) -> Int? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !body.isEmpty, body.count <= 18, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// A short name for what a node is, for "found …" in messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// An empty value (`key:` with nothing after it).
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// The known keys found in one mapping.
struct Fields {
    struct Entry {
        var key: Node
        var value: Node
    }

    /// The mapping itself, whose mark locates "missing key" diagnostics.
    var node: Node
    var entries: [String: Entry] = [:]
    /// Known keys that an unknown key looked like: their absence is already explained by the typo,
    /// so "missing key" is not reported on top.
    var misspelt: Set<String> = []

    /// Whether a required key is missing and not explained by a typo already reported.
    func lacks(_ name: String) -> Bool { entries[name] == nil && !misspelt.contains(name) }

    init(node: Node) { self.node = node }

    subscript(_ name: String) -> Node? { entries[name]?.value }
}

/// A 1-based line and column in the file.
struct Position: Hashable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Where libyaml saw the node start; `nil` for nodes built in code.
    init?(_ node: Node) {
        guard let mark = node.mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }
}
