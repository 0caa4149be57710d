import ArgumentParser
import Foundation
import Lab

/// `fallback-lab validate`: check scenario files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and report every problem with file:line:column.",
        discussion: "Exits 0 when every file is valid, 65 when one is not, 64 when a path does not exist."
    )

    @Argument(help: "Scenario files, or folders of .yaml files.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one scenario file or folder") }
    }

    func run() throws {
        let validation = try ScenarioInput.load(paths)
        let count = validation.scenarios.count
        let warnings = validation.warnings.count
        print("\(count) scenario\(count == 1 ? "" : "s") valid"
            + (warnings == 0 ? "" : " (\(warnings) warning\(warnings == 1 ? "" : "s"))"))
    }
}

/// Shared by `run` and `validate`: paths to files, problems to standard error.
enum ScenarioInput {
    /// Files or folders to scenario files; a path that does not exist is a usage error (64).
    static func files(_ paths: [String]) throws -> [String] {
        do {
            let files = try ScenarioFiles.expand(paths)
            if files.isEmpty { throw ValidationError("no .yaml scenario files in \(paths.joined(separator: ", "))") }
            return files
        } catch let error as ScenarioFiles.MissingPath {
            throw ValidationError(error.description)
        }
    }

    /// Every scenario of `paths`, checked: warnings printed, and on any problem every diagnostic
    /// printed and exit 65 (nothing runs, no report is written).
    static func load(_ paths: [String]) throws -> Validation {
        let validation = Validation.check(files: try files(paths))
        printWarnings(validation.warnings)
        guard validation.isValid else {
            printDiagnostics(validation.diagnostics)
            throw ExitCode(65)
        }
        return validation
    }

    /// `warning: file:line:column: …` lines on standard error: what a valid file has that does nothing
    /// or was left out; the file still runs.
    static func printWarnings(_ warnings: [Diagnostic]) {
        guard !warnings.isEmpty else { return }
        let text = warnings.map { "warning: \($0.description)\n" }.joined()
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        var text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
        text += "\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") found; nothing was run\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
