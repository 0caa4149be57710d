/// One problem in a scenario file: where it is, what is wrong, and what would be right.
///
/// Printed as `file:line:column: what is wrong; what would be right`, the form editors and CI
/// annotations turn into a link to the spot.
package struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    package var file: String
    /// 1-based.
    package var line: Int
    /// 1-based, counted in Unicode scalars as libyaml does.
    package var column: Int
    /// What is wrong.
    package var message: String
    /// What would be right.
    package var hint: String

    package init(file: String, line: Int, column: Int, message: String, hint: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    package var description: String {
        hint.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(message); \(hint)"
    }

    /// File order, then position, so diagnostics read top to bottom.
    package static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.message)
    }
}

/// Every diagnostic of one or more files: the error thrown when a scenario cannot be loaded.
package struct ScenarioDiagnostics: Error, Sendable, Hashable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
