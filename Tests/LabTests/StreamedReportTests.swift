import Foundation
import Testing
import TestSupport
@testable import Lab

/// Issue 13's streaming: a run's report is written while the plan runs, and is the report the same
/// runs held in memory give, byte for byte, whatever `--jobs`.
@Suite("Streamed reports", .timeLimit(.minutes(5)))
struct StreamedReportTests {
    static func shipped() throws -> [Scenario] {
        Validation.check(files: try ScenarioFiles.expand([ShardMergeTests.folder])).scenarios
    }

    /// The shipped scenarios at `--repeat 2`, every format: streamed (as `run` writes it, at
    /// `--jobs` 1 and 3) and held (every record in memory, then written) give the same files.
    @Test func aStreamedReportIsTheHeldRunsReportAtAnyJobs() async throws {
        let scenarios = try Self.shipped()
        let temporary = try TemporaryFolder("streamed")
        let formats = "html,csv,json,junit,md,pcap"
        let held = temporary.path("held")
        let planned = try LabRunner.plan(scenarios, options: RunOptions(repetitions: 2, seed: 7, jobs: 2))
        let heldResults = await LabRunner.run(planned)
        try ReportOutput(formats: formats).write(heldResults, to: held)
        let expected = try ShardMergeTests.files(held)
        #expect(expected.count > 50)
        for jobs in [1, 3] {
            let folder = temporary.path("streamed-\(jobs)")
            let streamedPlan = try LabRunner.plan(scenarios, options: RunOptions(repetitions: 2, seed: 7, jobs: jobs))
            let sink = try ReportSink(try ReportOutput(formats: formats), scenarios: streamedPlan.scenarios, directory: folder)
            let results = await LabRunner.run(streamedPlan, emit: sink.add)
            #expect(results.records.isEmpty, "a streamed run keeps no records")
            #expect(!FileManager.default.fileExists(atPath: folder), "nothing at the target before finish")
            _ = try sink.finish(results, to: folder)
            let actual = try ShardMergeTests.files(folder)
            #expect(actual.keys.sorted() == expected.keys.sorted(), "--jobs \(jobs)")
            for (path, bytes) in expected where actual[path] != bytes {
                Issue.record("--jobs \(jobs): \(path) differs from the held run's")
            }
            // No spool is left in the folder.
            #expect(!actual.keys.contains { $0.hasPrefix(".") })
            #expect(sink.tally.summaryTable.rows == RunTally(heldResults).summaryTable.rows)
            #expect(sink.tally.failureCount == RunTally(heldResults).failureCount)
            #expect(sink.tally.exitCode == RunTally(heldResults).exitCode)
        }
    }

    /// Runs reach `emit` one job after the other in plan order (a herd's clients in order), the
    /// order the held results have, whichever worker finished first.
    @Test func emitHandsRunsOverInPlanOrder() async throws {
        let scenarios = try Self.shipped()
        let planned = try LabRunner.plan(scenarios, options: RunOptions(repetitions: 3, seed: 11, jobs: 3, recordPackets: false))
        let order = Order()
        let results = await LabRunner.run(planned, emit: { record in order.append(record.index, record.client) })
        let held = await LabRunner.run(try LabRunner.plan(scenarios, options: RunOptions(repetitions: 3, seed: 11, jobs: 1, recordPackets: false)))
        #expect(results.records.isEmpty)
        #expect(order.pairs.count == held.records.count)
        #expect(order.pairs.map(\.0) == held.records.map(\.index))
        #expect(order.pairs.map(\.1) == held.records.map(\.client))
    }

    /// A stream dropped before `finish` (a run that failed to write, an error in the command) leaves
    /// neither the report nor its staging folder.
    @Test func aStreamThatNeverFinishesLeavesNothing() async throws {
        let temporary = try TemporaryFolder("streamed")
        let folder = temporary.path("out")
        let planned = try LabRunner.plan(Array(try Self.shipped().prefix(2)), options: RunOptions(seed: 3))
        do {
            let sink = try ReportSink(try ReportOutput(formats: "csv,json"), scenarios: planned.scenarios, directory: folder)
            _ = await LabRunner.run(planned, emit: sink.add)
            let staged = try FileManager.default.contentsOfDirectory(atPath: temporary.path())
            #expect(staged.contains { $0.hasPrefix(".out.tmp-") }, "the runs are on disk while the plan runs")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path()).isEmpty)
    }

    /// A run killed part-way (SIGKILL, a CI timeout) leaves its staging folder; the next report to the
    /// same target removes it when its process is gone, and leaves a live process's alone.
    @Test func theNextRunRemovesADeadRunsStagingFolder() async throws {
        let temporary = try TemporaryFolder("streamed")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = temporary.path(".out.tmp-\(child.processIdentifier)-0")
        let alive = temporary.path(".out.tmp-1-0")
        for path in [dead, alive] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            #expect(FileManager.default.createFile(atPath: path + "/results.csv", contents: Data("half".utf8)))
        }
        let planned = try LabRunner.plan(Array(try Self.shipped().prefix(1)), options: RunOptions(seed: 3))
        let sink = try ReportSink(try ReportOutput(formats: "csv"), scenarios: planned.scenarios, directory: temporary.path("out"))
        let results = await LabRunner.run(planned, emit: sink.add)
        _ = try sink.finish(results, to: temporary.path("out"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: temporary.path()))
        #expect(names == ["out", ".out.tmp-1-0"], "\(names)")
    }
}

/// The order runs were handed over in, from whichever worker handed them.
private final class Order: Sendable {
    private let box = NIOLockedPairs()
    func append(_ index: Int, _ client: Int) { box.append((index, client)) }
    var pairs: [(Int, Int)] { box.all }
}

private final class NIOLockedPairs: @unchecked Sendable {
    private let lock = NSLock()
    private var pairs: [(Int, Int)] = []
    func append(_ pair: (Int, Int)) {
        lock.lock()
        pairs.append(pair)
        lock.unlock()
    }
    var all: [(Int, Int)] {
        lock.lock()
        defer { lock.unlock() }
        return pairs
    }
}
