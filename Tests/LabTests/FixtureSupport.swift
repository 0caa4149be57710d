import Foundation
import Lab

/// Locates the fixtures beside this file, so tests run from any working directory.
enum FixtureSupport {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of `Fixtures/<relative>`.
    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: testsFolder.appendingPathComponent("Fixtures").appendingPathComponent(relative)))
    }

    /// Loads a fixture, naming it by its relative path as a user would type it.
    static func load(_ relative: String) throws -> Scenario {
        try ScenarioLoader.parse(try bytes(relative), file: relative)
    }

    /// The diagnostics of a fixture that must not load.
    static func diagnostics(_ relative: String) throws -> [String] {
        let input = try bytes(relative)
        do {
            let scenario = try ScenarioLoader.parse(input, file: relative)
            return ["unexpectedly valid: \(scenario.name)"]
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
