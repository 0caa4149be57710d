import Connector
import Foundation
import Testing
import TestSupport
@testable import Lab

/// `run --shard I/N` and `merge`: the shards of one plan put back together are the whole run's report,
/// byte for byte, and folders that are not the shards of one plan are refused with the reason.
@Suite("Shards and merge", .timeLimit(.minutes(5)))
struct ShardMergeTests {
    static let folder = FixtureSupport.packageRoot.appendingPathComponent("Scenarios").path

    static func shipped() throws -> [Scenario] {
        Validation.check(files: try ScenarioFiles.expand([folder])).scenarios
    }

    /// Runs `scenarios` (or one shard of them) and writes the report as `run` does: streamed into
    /// the folder while the plan runs (the records are also kept, for the tests' own checks).
    static func write(
        _ scenarios: [Scenario], shard: Shard? = nil, options: RunOptions = RunOptions(jobs: 2), formats: String = "html,csv,json,junit,md,pcap",
        to directory: String
    ) async throws -> RunResults {
        let planned = try LabRunner.plan(scenarios, options: options, shard: shard)
        let sink = try ReportSink(try ReportOutput(formats: formats), scenarios: planned.scenarios, directory: directory, keepRecords: true)
        var results = await LabRunner.run(planned, emit: sink.add)
        results.records = sink.keptRecords
        _ = try sink.finish(results, to: directory)
        return results
    }

    /// Every file under `folder`, by relative path, with its bytes.
    static func files(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder))
        for case let path as String in enumerator {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return files
    }

    @Test func shardSpecificationsAreParsedAndBadOnesNamed() throws {
        #expect(try Shard(parsing: "2/7") == Shard(index: 2, count: 7))
        #expect(try Shard(parsing: "1/1") == Shard(index: 1, count: 1))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", "", "1/10001"] {
            #expect(throws: Shard.ParseError.self, "\(bad)") { try Shard(parsing: bad) }
        }
        #expect(Shard.ParseError(text: "4/3").description.contains("'4/3'"))
    }

    /// Every job in exactly one shard, whatever N; shares deterministic and balanced by expected cost.
    @Test(arguments: [1, 2, 3, 7, 500])
    func everyJobIsInExactlyOneShareAndSharesAreBalanced(count: Int) throws {
        let plan = try RunPlan(scenarios: try Self.shipped(), options: RunOptions(repetitions: 2))
        let shares = (1...count).map { plan.jobs(in: Shard(index: $0, count: count)).map(\.index) }
        #expect(shares.flatMap { $0 }.sorted() == Array(plan.jobs.indices))
        for share in shares { #expect(share == share.sorted(), "plan order inside a shard") }
        #expect(plan.shardAssignment(count: count) == plan.shardAssignment(count: count))
        let costs = plan.jobs.map(RunPlan.expectedCost)
        let loads = shares.map { $0.reduce(0) { $0 + costs[$1] } }
        // Longest processing time first: no shard exceeds the lightest by more than the costliest job.
        if let heaviest = loads.max(), let lightest = loads.min() {
            #expect(heaviest - lightest <= (costs.max() ?? 0), "loads \(loads)")
        }
    }

    /// The issue's check: shards 1/N…N/N of the shipped scenarios, merged, are the unsharded report,
    /// every file byte for byte (there are no timestamps in a report), for N = 1, 2, 3 and 7.
    @Test func mergedShardsAreTheWholeRunsReportByteForByte() async throws {
        let scenarios = try Self.shipped()
        let temporary = try TemporaryFolder("shards")
        let whole = temporary.path("whole")
        let wholeResults = try await Self.write(scenarios, to: whole)
        let expected = try Self.files(whole)
        #expect(expected.keys.contains("records.jsonl") && expected.keys.contains("plan.json"))
        #expect(expected.keys.contains { $0.hasPrefix("pcap/") })
        for count in [1, 2, 3, 7] {
            var folders: [String] = []
            var runs = 0
            for index in 1...count {
                let folder = temporary.path("n\(count)-s\(index)")
                let results = try await Self.write(scenarios, shard: Shard(index: index, count: count), to: folder)
                runs += Set(results.records.map(\.index)).count
                folders.append(folder)
            }
            #expect(runs == wholeResults.planJobs)
            // Any order of folders.
            let merge = try ShardMerge(folders: folders.reversed())
            let merged = temporary.path("n\(count)-merged")
            try merge.write(to: merged)
            let actual = try Self.files(merged)
            #expect(actual.keys.sorted() == expected.keys.sorted(), "N = \(count)")
            for (path, bytes) in expected where actual[path] != bytes {
                Issue.record("N = \(count): \(path) differs from the whole run's")
            }
            #expect(merge.exitCode == RunTally(wholeResults).exitCode)
            #expect(merge.summary.rows == RunTally(wholeResults).summaryTable.rows)
        }
    }

    /// Folders that are not the shards of one plan: each refused with the folder and the reason.
    @Test func foldersThatAreNotOnePlansShardsAreRefusedWithTheReason() async throws {
        let scenarios = try Self.shipped().filter { ["open-network", "port-1935-dropped", "lossy-mobile"].contains($0.name) }
        let temporary = try TemporaryFolder("shards-refused")
        let options = RunOptions(repetitions: 2, jobs: 2)
        var shards: [String] = []
        for index in 1...3 {
            shards.append(temporary.path("s\(index)"))
            _ = try await Self.write(scenarios, shard: Shard(index: index, count: 3), options: options, formats: "csv,pcap", to: shards[index - 1])
        }
        func refusal(_ folders: [String]) -> String {
            do {
                _ = try ShardMerge(folders: folders)
                return "merged"
            } catch {
                return error.description
            }
        }
        #expect(refusal(shards) == "merged")
        #expect(refusal([shards[0], shards[2]]) .contains("shard 2/3 of plan"), "\(refusal([shards[0], shards[2]]))")
        #expect(refusal([shards[0], shards[2]]).contains("is missing"))
        #expect(refusal([shards[0], shards[1], shards[1], shards[2]]) == "shard 2/3 is given twice: \(shards[1]) and \(shards[1])")

        // Another seed is another plan.
        let other = temporary.path("other-seed")
        _ = try await Self.write(
            scenarios, shard: Shard(index: 2, count: 3), options: RunOptions(repetitions: 2, seed: 99, jobs: 2), formats: "csv,pcap", to: other)
        #expect(refusal([shards[0], other, shards[2]]).contains("\(other) (shard 2/3) is of another plan than \(shards[0])"))
        // Another N.
        let halves = temporary.path("half")
        _ = try await Self.write(scenarios, shard: Shard(index: 2, count: 2), options: options, formats: "csv,pcap", to: halves)
        #expect(refusal([shards[0], halves]).contains("every shard of a merge is one of the same N"), "\(refusal([shards[0], halves]))")
        // Other formats.
        let csvOnly = temporary.path("csv-only")
        _ = try await Self.write(scenarios, shard: Shard(index: 2, count: 3), options: options, formats: "csv", to: csvOnly)
        #expect(refusal([shards[0], csvOnly, shards[2]]).contains("was written with --format csv"))

        // Not a report folder at all, and a missing one.
        #expect(refusal([temporary.path()]) == "\(temporary.path()) is not a report folder of `fallback-lab run` (it has no plan.json)")
        #expect(refusal([temporary.path("nowhere")]) == "\(temporary.path("nowhere")): no such folder")

        // A damaged records file: a garbage line is named by file and line; a lost line makes the
        // folder incomplete; a missing capture is named.
        let records = shards[1] + "/records.jsonl"
        let original = try String(contentsOfFile: records, encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let kept = lines
        lines[1] = "{\"job\": \"garbage\""
        try lines.joined(separator: "\n").write(toFile: records, atomically: true, encoding: .utf8)
        #expect(refusal(shards).hasPrefix("\(records):2: not a run record"), "\(refusal(shards))")
        lines = kept
        lines.remove(at: 0)
        try lines.joined(separator: "\n").write(toFile: records, atomically: true, encoding: .utf8)
        #expect(refusal(shards).contains("the folder is incomplete"), "\(refusal(shards))")
        // Lines out of plan order: a merge reads the folders side by side, line by line.
        lines = kept
        lines.swapAt(0, 1)
        try lines.joined(separator: "\n").write(toFile: records, atomically: true, encoding: .utf8)
        #expect(refusal(shards).hasPrefix("\(records):2: run "), "\(refusal(shards))")
        #expect(refusal(shards).hasSuffix("the lines are not in plan order"), "\(refusal(shards))")
        try original.write(toFile: records, atomically: true, encoding: .utf8)
        #expect(refusal(shards) == "merged")
        let pcaps = try FileManager.default.contentsOfDirectory(atPath: shards[1] + "/pcap").sorted()
        let pcap = try #require(pcaps.first)
        try FileManager.default.removeItem(atPath: shards[1] + "/pcap/" + pcap)
        #expect(refusal(shards).contains("its capture \(shards[1])/pcap/\(pcap) cannot be read"), "\(refusal(shards))")
    }
}

/// `records.jsonl` is written by hand for speed; it must be what Foundation's encoder writes, and read
/// back to the same lines.
@Suite("records.jsonl lines")
struct RecordLineTests {
    static func encoded(_ line: RecordLine) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }

    static func written(_ line: RecordLine) -> String {
        var out: [UInt8] = []
        line.appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func everyShippedRunsLineIsWhatJSONEncoderWritesAndReadsBackTheSame() async throws {
        let planned = try LabRunner.plan(try ShardMergeTests.shipped(), options: RunOptions(jobs: 2))
        let results = await LabRunner.run(planned)
        let lines = results.records.map { ReportSink.line(of: $0, in: results.scenarios).line }
        #expect(lines.count > 100)
        #expect(lines.contains { $0.oracle != nil } && lines.contains { !($0.events ?? []).isEmpty })
        for line in lines {
            let text = Self.written(line)
            #expect(text == (try Self.encoded(line)))
            #expect(try JSONDecoder().decode(RecordLine.self, from: Data(text.utf8)) == line)
        }
    }

    @Test func stringsDurationsAndAbsentFieldsAreWrittenAsTheEncoderWritesThem() throws {
        let awkward = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} nul-free é 漢 🎥 \u{1F}"
        var line = RecordLine(
            job: 3, client: 2, clients: 5, scenario: 0, policy: awkward, repetition: 7, seed: "18446744073709551615",
            network: "sim", error: awkward)
        #expect(Self.written(line) == (try Self.encoded(line)))
        line.error = nil
        line.result = .init(outcome: "failed", reason: awkward, after: .seconds(-3) + .nanoseconds(1))
        line.attempts = [.init(
            id: 1, candidate: "rtmp:1935", startedAt: .zero, synRetransmissions: [.seconds(1), .milliseconds(3001)],
            phases: [.init(phase: .tcpConnected, at: .seconds(3_000_000_000) + .nanoseconds(7))],
            ending: .timeout, timeoutOwner: .policy, detail: nil, endedAt: .seconds(Double.pi))]
        line.cost = ServerCost(connectionsAccepted: 1, handshakesCompleted: 0, wastedConnections: 1, peakConnections: 2, peakHandshakes: nil)
        line.events = [.init(actor: "proxy", at: .microseconds(5), attempt: nil, action: "400", detail: awkward)]
        line.expectations = [.init(expected: "within 2 s", measured: awkward, passed: false, location: "a/b.yaml:12")]
        line.oracle = .init(candidate: "rtmpt:80", timeToConnect: .milliseconds(250))
        line.pcap = "a--b--r7.pcap"
        #expect(Self.written(line) == (try Self.encoded(line)))
        #expect(try JSONDecoder().decode(RecordLine.self, from: Data(Self.written(line).utf8)) == line)
    }
}
