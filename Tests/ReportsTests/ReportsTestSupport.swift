import Foundation
import Testing
import Reports
import TestSupport

/// Locating and running the external tools some tests need (tshark, xmllint, chromium).
///
/// When a tool is missing the test is skipped with a message naming it — unless `CI` is set, where
/// the tools are installed on purpose and a missing one must fail loudly instead of passing silently.
enum Tool {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    /// The first executable called one of `names` on `PATH`.
    static func path(_ names: String...) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in names {
            for directory in directories {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Whether a test needing `names` should run: the tool is there, or CI requires it.
    static func runnable(_ names: String...) -> Bool {
        isCI || names.contains { path($0) != nil }
    }

    /// Runs a tool to completion with a time limit (TestSupport's one spawner).
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) throws -> TestProcess.Finished {
        try TestProcess.runBlocking(executable, arguments, limit: timeout)
    }
}

/// The folder of committed test fixtures (golden files, the JUnit schema).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Compares `actual` with the golden file; with `UPDATE_GOLDEN=1` rewrites it instead (then
    /// the diff is reviewed in git like any other change).
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = url("golden/" + name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file", sourceLocation: sourceLocation)
    }
}
