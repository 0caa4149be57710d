import Foundation
import Testing
import TestSupport

/// Every file of the broken-scenario corpus, given to the real executable, ends in exit 65 (the
/// design's "invalid scenario" code) with only `file:line:column: …` lines on standard error, and
/// never leaves a report folder behind: what CI users see, not only what the loader returns.
@Suite("Broken scenario files through the executable", .serialized, .timeLimit(.minutes(5)))
struct InvalidScenarioCommandTests {
    static let folder = FixtureSupport.packageRoot.appendingPathComponent("Tests/LabTests/Fixtures/Invalid")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    struct Ending {
        var status: Int32
        var standardError: String
    }

    /// Runs `fallback-lab` with `arguments`, bounded by `limit`, and collects its exit status and
    /// standard error.
    static func run(_ arguments: [String], limit: Duration = .seconds(30)) throws -> Ending {
        let finished = try TestProcess.runBlocking(InterruptTests.executable.path, arguments, limit: limit)
        guard finished.status != -1 else { throw CancellationError() }
        return Ending(status: finished.status, standardError: finished.errors)
    }

    @Test func theCorpusCoversEveryKindOfBrokenFile() {
        let names = Set(Self.files)
        for kind in ["wrong-types", "unknown-keys", "bad-values", "huge-numbers", "empty", "binary", "deep"] {
            #expect(names.contains("\(kind).yaml"), "the corpus lacks \(kind).yaml")
        }
    }

    @Test(arguments: files)
    func validateExits65WithPositions(file: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: InterruptTests.executable.path),
                     "build fallback-lab first: \(InterruptTests.executable.path)")
        let path = Self.folder.appendingPathComponent(file).path
        let ending = try Self.run(["validate", path])
        #expect(ending.status == 65, "\(file): exit \(ending.status)\n\(ending.standardError)")
        let lines = ending.standardError.split(separator: "\n").map(String.init)
        let diagnostics = lines.filter { $0.hasPrefix(path + ":") }
        #expect(!diagnostics.isEmpty, "\(file): no file:line:column line in\n\(ending.standardError)")
        for line in diagnostics {
            let rest = line.dropFirst(path.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 2)
            #expect(parts.count == 3 && Int(parts[0]) != nil && Int(parts[1]) != nil,
                    "\(file): not file:line:column: \(line)")
        }
    }

    @Test(arguments: files)
    func runExits65AndWritesNoReport(file: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: InterruptTests.executable.path),
                     "build fallback-lab first: \(InterruptTests.executable.path)")
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("invalid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("report")
        let ending = try Self.run(["run", Self.folder.appendingPathComponent(file).path, "--out", out.path])
        #expect(ending.status == 65, "\(file): exit \(ending.status)\n\(ending.standardError)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        #expect(left.isEmpty, "\(file): left \(left) behind")
    }
}
