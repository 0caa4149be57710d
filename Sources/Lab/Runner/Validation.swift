/// The result of checking scenario files without running them: `fallback-lab validate`.
package struct Validation: Sendable {
    /// The files that loaded, in the order given.
    package var scenarios: [Scenario]
    /// Every problem of every file, each `file:line:column: what; what would be right`.
    package var diagnostics: [Diagnostic]

    package var isValid: Bool { diagnostics.isEmpty }

    /// What the valid files' loader pointed out, file by file: printed as `warning:` lines, never a
    /// reason to refuse a file.
    package var warnings: [Diagnostic] { scenarios.flatMap(\.warnings) }

    /// Loads every file and collects all diagnostics of all of them, so one pass shows everything.
    package static func check(files: [String]) -> Validation {
        var scenarios: [Scenario] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            do {
                scenarios.append(try ScenarioLoader.load(path: file))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
        var names: [String: String] = [:]
        for scenario in scenarios {
            if let other = names[scenario.name] {
                diagnostics.append(Diagnostic(
                    file: scenario.file, line: 1, column: 1,
                    message: "scenario name '\(scenario.name)' is also used by \(other)",
                    hint: "give each scenario its own name: reports are keyed by it"))
            } else {
                names[scenario.name] = scenario.file
            }
        }
        return Validation(scenarios: scenarios, diagnostics: diagnostics)
    }
}
