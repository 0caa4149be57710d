import Foundation
import Testing
import TestSupport

/// Ctrl-C during `fallback-lab run` never leaves a half-written report folder: not the `--out` folder,
/// and not the hidden temporary sibling the report is assembled in.
///
/// These tests drive the real executable, which the package builds beside the test binary.
@Suite(
    "Interrupted runs", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: HeavyTests.requested, "set \(HeavyTests.variable)=1 (scripts/test runs it on its own)"))
struct InterruptTests {
    /// The package's `fallback-lab`, next to this test process's executable.
    static var executable: URL {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        // On Linux the test binary is `<products>/FallbackLabPackageTests.xctest` itself; elsewhere it
        // sits inside a bundle a few levels down.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("fallback-lab").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("fallback-lab")
    }

    /// A few scenarios with enough repetitions that the report (hundreds of pcap files, each fsynced)
    /// takes a noticeable time to write.
    static func start(out: URL, repetitions: Int) throws -> TestProcess {
        let scenarios = FixtureSupport.packageRoot.appendingPathComponent("Scenarios")
        return try TestProcess(executable.path, [
            "run",
            scenarios.appendingPathComponent("open-network.yaml").path,
            scenarios.appendingPathComponent("port-1935-rejected.yaml").path,
            "--repeat", String(repetitions), "--jobs", "1", "--out", out.path,
        ])
    }

    static func hiddenEntries(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".") }
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func interruptedWhileWritingTheReportLeavesItWholeAndNoTemporaryFolder() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build fallback-lab first: \(Self.executable.path)")
        let parent = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("report")
        let process = try Self.start(out: out, repetitions: 25)

        // The report is written into a hidden sibling of --out while the runs go on; its plan.json is
        // the first file of the finishing phase (the summaries, the fsyncs and the rename follow):
        // interrupt the moment it appears.
        let deadline = ContinuousClock.now + .seconds(120)
        var sawTemporary = false
        while process.ending == nil, ContinuousClock.now < deadline {
            if Self.hiddenEntries(in: parent).contains(where: {
                FileManager.default.fileExists(atPath: parent.appendingPathComponent($0).appendingPathComponent("plan.json").path)
            }) {
                sawTemporary = true
                break
            }
            try await Task.sleep(for: .microseconds(200))
        }
        // Interrupts until it ends: whichever lands inside the write is held back until the report is
        // in place, then delivered, so the process still dies of SIGINT. (On a loaded machine the whole
        // write can finish before the first one is sent; the run then exits 0 and the checks below
        // hold all the same.)
        let stormEnd = ContinuousClock.now + .seconds(60)
        while process.ending == nil, ContinuousClock.now < stormEnd {
            process.send(SIGINT)
            try await Task.sleep(for: .microseconds(500))
        }
        let ending = await process.waitForEnding(within: .seconds(10))
        try #require(sawTemporary, "the run ended before its report was begun: \(String(describing: ending))")
        #expect(ending == .signalled(SIGINT) || ending == .exited(0), "\(String(describing: ending))")
        #expect(Self.hiddenEntries(in: parent).isEmpty, "left behind: \(Self.hiddenEntries(in: parent))")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        for name in ["index.html", "results.csv", "attempts.csv", "summary.json", "junit.xml", "summary.md", "pcap"] {
            #expect(files.contains(name), "\(name) missing from the report")
        }
        let pcaps = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("pcap").path)
        #expect(pcaps.count >= 25)
        let json = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: json) }
    }

    /// The report is being streamed into its staging folder while the runs go on: SIGINT and SIGTERM
    /// remove it and end the process by that signal.
    @Test(arguments: [SIGINT, SIGTERM])
    func interruptedWhileSimulatingLeavesNoReportAndThePreviousOneIntact(signal: Int32) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build fallback-lab first: \(Self.executable.path)")
        let parent = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("report")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let marker = out.appendingPathComponent("previous.txt")
        try Data("the previous report".utf8).write(to: marker)

        // Thousands of runs: the interrupt lands long before the report is finished, once the
        // staging folder has been written into.
        let process = try Self.start(out: out, repetitions: 20_000)
        let deadline = ContinuousClock.now + .seconds(60)
        var sawStaging = false
        while process.ending == nil, ContinuousClock.now < deadline {
            if Self.hiddenEntries(in: parent).contains(where: {
                FileManager.default.fileExists(atPath: parent.appendingPathComponent($0).appendingPathComponent("records.jsonl").path)
            }) {
                sawStaging = true
                break
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(300))
        try #require(sawStaging && process.ending == nil, "the run ended before it could be interrupted")
        process.send(signal)
        #expect(await process.waitForEnding(within: .seconds(30)) == .signalled(signal))
        #expect(Self.hiddenEntries(in: parent).isEmpty, "left behind: \(Self.hiddenEntries(in: parent))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["previous.txt"])
    }
}
