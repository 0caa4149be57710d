import Foundation
import Testing
import TestSupport

/// Ctrl-C during `fallback-lab run` never leaves a half-written report folder: not the `--out` folder,
/// and not the hidden temporary sibling the report is assembled in.
///
/// These tests drive the real executable, which the package builds beside the test binary.
@Suite(
    "Interrupted runs", .serialized, .timeLimit(.minutes(5)),
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

    /// Waits until a hidden staging folder in `parent` holds `file`, or the process ends, or the time
    /// is up; whether it was seen.
    static func waitForStaging(
        _ file: String, in parent: URL, of process: TestProcess, within limit: Duration, polling interval: Duration
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.ending == nil, ContinuousClock.now < deadline {
            if hiddenEntries(in: parent).contains(where: {
                FileManager.default.fileExists(atPath: parent.appendingPathComponent($0).appendingPathComponent(file).path)
            }) {
                return true
            }
            try await Task.sleep(for: interval)
        }
        return false
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The finishing phase (summaries, fsyncs, rename) lasts milliseconds, so a poll can miss it on a
    /// loaded machine: up to four runs are made, every one must end with a whole report and nothing
    /// hidden left, and at least one must have been interrupted inside that phase.
    @Test func interruptedWhileWritingTheReportLeavesItWholeAndNoTemporaryFolder() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build fallback-lab first: \(Self.executable.path)")
        var endings: [TestProcess.Ending?] = []
        for _ in 0..<4 {
            let (interrupted, ending) = try await Self.interruptWhileFinishing()
            endings.append(ending)
            if interrupted { return }
        }
        Issue.record("no run was caught finishing its report in four tries: \(endings)")
    }

    /// One run interrupted once its report's plan.json appears; whether it appeared before the
    /// process ended, and how the process ended.
    static func interruptWhileFinishing() async throws -> (interrupted: Bool, ending: TestProcess.Ending?) {
        let parent = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("report")
        let process = try start(out: out, repetitions: 25)

        // The report is written into a hidden sibling of --out while the runs go on; its plan.json is
        // the first file of the finishing phase (the summaries, the fsyncs and the rename follow),
        // written once interrupts are held back: interrupt the moment it appears.
        let sawTemporary = try await waitForStaging("plan.json", in: parent, of: process, within: .seconds(120), polling: .microseconds(200))
        // Interrupts until it ends: each is held back until the report is in place, then delivered,
        // so the process dies of SIGINT.
        let stormEnd = ContinuousClock.now + .seconds(60)
        while sawTemporary, process.ending == nil, ContinuousClock.now < stormEnd {
            process.send(SIGINT)
            try await Task.sleep(for: .microseconds(500))
        }
        let ending = await process.waitForEnding(within: .seconds(120))
        #expect(ending == (sawTemporary ? .signalled(SIGINT) : .exited(0)), "\(String(describing: ending))")
        #expect(hiddenEntries(in: parent).isEmpty, "left behind: \(hiddenEntries(in: parent))")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        for name in ["index.html", "results.csv", "attempts.csv", "summary.json", "junit.xml", "summary.md", "pcap"] {
            #expect(files.contains(name), "\(name) missing from the report")
        }
        let pcaps = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("pcap").path)
        #expect(pcaps.count >= 25)
        let json = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: json) }
        return (sawTemporary, ending)
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
        let sawStaging = try await Self.waitForStaging("records.jsonl", in: parent, of: process, within: .seconds(60), polling: .milliseconds(5))
        try await Task.sleep(for: .milliseconds(300))
        try #require(sawStaging && process.ending == nil, "the run ended before it could be interrupted")
        process.send(signal)
        #expect(await process.waitForEnding(within: .seconds(30)) == .signalled(signal))
        #expect(Self.hiddenEntries(in: parent).isEmpty, "left behind: \(Self.hiddenEntries(in: parent))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["previous.txt"])
    }
}
