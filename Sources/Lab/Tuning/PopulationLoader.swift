import Foundation
import Yams

/// Reads a population file: its own keys checked as a scenario's are (`file:line:column`, the nearest
/// known key), and each member's scenario file loaded as `run` loads it, its errors at its own
/// positions. Paths are relative to the population file.
package enum PopulationLoader {
    package static func load(path: String) throws(ScenarioDiagnostics) -> Population {
        func fail(_ message: String, _ hint: String) -> ScenarioDiagnostics {
            ScenarioDiagnostics([Diagnostic(file: path, line: 1, column: 1, message: message, hint: hint)])
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= ScenarioLoader.maximumFileSize else {
            throw fail("cannot read the population file (or it is larger than \(ScenarioLoader.maximumFileSize / 1024) KiB)", "check the path")
        }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else {
            throw fail("the file is not UTF-8 text", "a population is a YAML text file; is this the right file?")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioDiagnostics([ScenarioLoader.diagnostic(for: error, file: path, text: text)])
        } catch {
            throw fail("the file is not valid YAML (\(error))", "check the file's syntax")
        }
        guard let root, !ScenarioLoader.isEmptyDocument(root) else {
            throw fail("the file is empty", "a population needs scenarios: with a file: and a weight: each")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var memberErrors: [Diagnostic] = []
        var decoder = ScenarioDecoder(file: path)
        let population = decoder.population(from: root) { member, node in
            let full = member.hasPrefix("/") ? member : (folder == "." ? member : folder + "/" + member)
            let resolved = URL(fileURLWithPath: full).standardizedFileURL.path
            // Relative to the working directory when the population's path was relative, so that
            // reports name the scenario as `run` would.
            let cwd = FileManager.default.currentDirectoryPath
            let shown = resolved.hasPrefix(cwd + "/") ? String(resolved.dropFirst(cwd.count + 1)) : resolved
            guard FileManager.default.fileExists(atPath: shown) else {
                let position = Position(node)
                memberErrors.append(Diagnostic(
                    file: path, line: position?.line ?? 1, column: position?.column ?? 1,
                    message: "scenario file '\(member)' does not exist (looked for \(shown))",
                    hint: "paths are relative to the population file"))
                return nil
            }
            do throws(ScenarioDiagnostics) {
                return try ScenarioLoader.load(path: shown)
            } catch {
                memberErrors += error.diagnostics
                return nil
            }
        }
        let all = decoder.diagnostics + memberErrors
        guard let population, all.isEmpty else {
            throw ScenarioDiagnostics(all.isEmpty
                ? [Diagnostic(file: path, line: 1, column: 1, message: "the population has no scenario with a weight", hint: "add scenarios:")]
                : all.sorted())
        }
        return population
    }
}
