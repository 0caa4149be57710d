import Foundation
import Testing
import TestSupport

/// `fallback-lab tune` and `run --population` as a user runs them: the shipped example population.
@Suite("tune and run --population through the executable", .serialized, .timeLimit(.minutes(5)))
struct TuneCommandTests {
    static var lab: String { InterruptTests.executable.path }
    static let example = FixtureSupport.packageRoot.appendingPathComponent("Scenarios/populations/corporate-viewers.yaml").path

    @Test func theShippedPopulationTunesAndRunsWithItsWeightedFigures() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.lab), "build fallback-lab first: \(Self.lab)")
        let folder = try TemporaryFolder("tune-command")
        let tune = try await TestProcess.run(Self.lab, ["tune", Self.example, "--budget-runs", "3000", "--out", folder.path("tune")], limit: .seconds(240))
        #expect(tune.status == 0, "\(tune.output)\(tune.errors)")
        #expect(tune.output.contains("rung 1/3"), "progress lines")
        #expect(tune.output.contains("tuned policy (holdout, 40 repetitions on fresh seeds):"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("tune")).sorted()
        #expect(files == ["index.html", "tune.csv", "tune.json", "tuned-policy.yaml"])
        let yaml = try String(contentsOfFile: folder.path("tune", "tuned-policy.yaml"), encoding: .utf8)
        #expect(yaml.contains("\nname: tuned\n"))

        let run = try await TestProcess.run(
            Self.lab, ["run", "--population", Self.example, "--repeat", "2", "--format", "md,html", "--out", folder.path("run")], limit: .seconds(240))
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        let summary = try String(contentsOfFile: folder.path("run", "summary.md"), encoding: .utf8)
        #expect(summary.contains("## Population "), "\(summary)")
        #expect(summary.contains("open-network 60% · port-1935-dropped 15%"))
        #expect(summary.contains("| flowplayer | "))
        let html = try String(contentsOfFile: folder.path("run", "index.html"), encoding: .utf8)
        #expect(html.contains("<section id=\"population\">"))
    }

    @Test func aBrokenPopulationExits65WithItsPositionsAndWritesNothing() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.lab), "build fallback-lab first: \(Self.lab)")
        let folder = try TemporaryFolder("tune-broken")
        let path = folder.path("broken.yaml")
        try "scenarios:\n  - file: nowhere.yaml\n    weight: 0%\n".write(toFile: path, atomically: true, encoding: .utf8)
        for arguments in [["tune", path, "--out", folder.path("out")], ["run", "--population", path, "--out", folder.path("out")]] {
            let finished = try await TestProcess.run(Self.lab, arguments)
            #expect(finished.status == 65, "\(arguments)")
            #expect(finished.errors.contains("\(path):2:11: scenario file 'nowhere.yaml' does not exist"), "\(finished.errors)")
            #expect(finished.errors.contains("\(path):3:13: a weight of 0% leaves the scenario out of the population"), "\(finished.errors)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("out")))
        }
        let both = try await TestProcess.run(Self.lab, ["run", "Scenarios", "--population", path])
        #expect(both.status == 64)
    }
}
