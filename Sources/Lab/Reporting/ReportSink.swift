import NIOConcurrencyHelpers
import Reports

/// A run's report folder written while the plan runs (issue 13): each run, as the runner hands it
/// over in plan order, becomes its `records.jsonl` line and its rows, capture and spooled parts of
/// the report files, and is then dropped, so memory does not grow with the number of runs. The
/// folder appears whole at `finish`, or not at all. `merge` writes through it too, one line read
/// back from a shard at a time.
///
/// The bytes are those `ReportOutput.write(_ results:)` writes from the same runs held in memory:
/// both go through `RecordLine` and `ReportStream`.
package final class ReportSink: Sendable {
    private let state: NIOLockedValueBox<State>
    /// The scenarios of the runs `add(_ record:)` takes (for their files and expectations); empty
    /// for a merge, which adds lines.
    private let scenarios: [Scenario]
    /// The report's scenarios as `plan.json` keeps them: what the report shows above their runs.
    private let headers: [PlanManifest.Header]
    private let formats: [String]

    private struct State: @unchecked Sendable {
        // `ReportStream` is a class used only under this lock.
        var stream: ReportStream?
        var tally = RunTally()
        var kept: [RunRecord] = []
        var keep: Bool
        var jobs = 0
        var lastJob: Int?
        /// The first error writing the folder: later runs are then only counted.
        var failure: ReportError?
    }

    /// `keepRecords`: also hold the runs, for what needs them all at the end (`run --population`'s
    /// weighted figures, a live run's external clients).
    package convenience init(
        _ output: ReportOutput, scenarios: [Scenario], directory: String, keepRecords: Bool = false
    ) throws(ReportOutput.WriteError) {
        try self.init(
            output, headers: scenarios.map(PlanManifest.Header.init), scenarios: scenarios, directory: directory,
            keepRecords: keepRecords)
    }

    init(
        _ output: ReportOutput, headers: [PlanManifest.Header], scenarios: [Scenario] = [], directory: String,
        keepRecords: Bool = false
    ) throws(ReportOutput.WriteError) {
        self.scenarios = scenarios
        self.headers = headers
        formats = output.formatList
        let header = ReportInput(scenarios: headers.map { $0.report(runs: []) })
        do {
            let stream = try ReportStream(formats: output.formats, header: header, directory: directory, keepsResultsTable: true)
            state = NIOLockedValueBox(State(stream: stream, keep: keepRecords))
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
    }

    /// The next run in plan order.
    package func add(_ record: RunRecord) {
        let (line, capture) = Self.line(of: record, in: scenarios)
        state.withLockedValue { state in
            state.tally.add(record, scenarios: scenarios)
            if state.keep { state.kept.append(record) }
            write(line, capture: capture, into: &state)
        }
    }

    /// A run as its report folder keeps it: its `records.jsonl` line (the expectations located in
    /// the scenario's file) and its packets.
    static func line(of record: RunRecord, in scenarios: [Scenario]) -> (line: RecordLine, capture: RunCapture?) {
        let line = RecordLine(record, file: scenarios.indices.contains(record.scenarioIndex) ? scenarios[record.scenarioIndex].file : record.scenarioName)
        guard case .success(let measured) = record.measurement else { return (line, nil) }
        if let bytes = measured.capture { return (line, .file(bytes)) }
        return (line, .packets(measured.packets.compactMap(\.record)))
    }

    /// The next run in plan order, as a report folder's `records.jsonl` holds it, with its capture
    /// file's bytes (a merge's shards).
    func add(_ line: RecordLine, capture: [UInt8]?) {
        state.withLockedValue { state in
            write(line, capture: capture.map(RunCapture.file), into: &state)
        }
    }

    /// A run's packets as the report gets them.
    enum RunCapture {
        /// A simulated run's, framed into a capture file by the report.
        case packets([PacketRecord])
        /// A capture file's bytes: a live run's, or one read back from a shard.
        case file([UInt8])

        func apply(to report: inout RunReport) {
            switch self {
            case .file(let bytes): report.capture = bytes
            case .packets(let packets): report.packets = packets
            }
        }
    }

    /// The run's rows, capture and spooled parts, and its `records.jsonl` line naming its capture
    /// where this report puts it.
    private func write(_ line: RecordLine, capture: RunCapture?, into state: inout State) {
        if state.lastJob != line.job {
            state.jobs += 1
            state.lastJob = line.job
        }
        guard state.failure == nil, let stream = state.stream else { return }
        var line = line
        do throws(ReportError) {
            line.pcap = nil
            if headers.indices.contains(line.scenario), var report = line.runReport {
                capture?.apply(to: &report)
                line.pcap = try stream.add(report, scenario: line.scenario)
            }
            var bytes: [UInt8] = []
            line.appendJSON(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
            try stream.append(bytes, toFile: PlanManifest.recordsFileName)
        } catch {
            state.failure = error
            state.stream = nil
        }
    }

    /// Removes the report folder being written, and takes no more runs: for an interrupted run,
    /// which must leave no half-written report and no staging folder behind. A run being added
    /// finishes first (the lock); a `finish` under way has taken the stream and is left to end.
    package func abandon() {
        state.withLockedValue { state in
            state.stream?.abandon()
            state.stream = nil
            state.failure = state.failure ?? .writerFailed(file: "", message: "the run was interrupted")
        }
    }

    /// What the console prints, so far.
    package var tally: RunTally { state.withLockedValue { $0.tally } }

    /// The runs kept with `keepRecords`.
    package var keptRecords: [RunRecord] { state.withLockedValue { $0.kept } }

    /// Writes `plan.json` and the summary files and puts the folder in place. `results` gives the
    /// plan's identity and notes (its records are not read). With a `baseline`, the run's own
    /// results table is compared with it first and the comparison goes into the report.
    package func finish(
        _ results: RunResults, baseline: ReportResults? = nil, thresholds: RegressionThresholds = .default,
        population: PopulationReport? = nil, to directory: String
    ) throws(ReportOutput.WriteError) -> BaselineComparison? {
        try finish(
            PlanManifest(
                fingerprint: results.fingerprint, shard: results.shard, planJobs: results.planJobs, jobs: 0,
                formats: formats, scenarios: headers, notes: results.notes),
            baseline: baseline, thresholds: thresholds, population: population, to: directory)
    }

    /// The same, with the manifest given (its `jobs` is the count of jobs added).
    func finish(
        _ manifest: PlanManifest, baseline: ReportResults? = nil, thresholds: RegressionThresholds = .default,
        population: PopulationReport? = nil, to directory: String
    ) throws(ReportOutput.WriteError) -> BaselineComparison? {
        let taken: Result<(ReportStream, Int), ReportOutput.WriteError> = state.withLockedValue { state in
            if let failure = state.failure { return .failure(ReportOutput.WriteError(description: "\(failure)")) }
            guard let stream = state.stream else { return .failure(ReportOutput.WriteError(description: "the report was already written")) }
            state.stream = nil
            return .success((stream, state.jobs))
        }
        let (stream, jobs) = try taken.get()
        do throws(ReportError) {
            let comparison = try baseline.map { (baseline: ReportResults) throws(ReportError) in
                BaselineComparison(resultsTable: try stream.resultsTable(), to: directory, with: baseline, thresholds: thresholds)
            }
            var manifest = manifest
            manifest.jobs = jobs
            try stream.append(Array(manifest.encoded().utf8), toFile: PlanManifest.fileName)
            try stream.finish(baseline: comparison?.report, population: population)
            return comparison
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
    }
}
