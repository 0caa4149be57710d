#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A report written as its runs come in, so that a run of any length holds only the summaries'
/// bounded state (issue 13): each run's rows go to `results.csv` and `attempts.csv` at once, its
/// capture to `pcap/`, its `summary.json` object and its failed expectations to spools in the
/// staging folder; at `finish` the summary files are put together around the spools.
///
/// Runs must come in the report's order (scenario by scenario, each scenario's runs in order, as
/// `ReportInput` holds them); the bytes are then those of the whole input rendered at once.
package final class ReportStream {
    private let formats: Set<ReportFormat>
    /// The header: title, time, scenarios (without runs), calibration; baseline and population are
    /// given at `finish`.
    private var header: ReportInput
    private let staging: ReportDirectory.Staging
    private var summaries: [ScenarioSummary]
    private(set) var layout = ReportLayout()
    private var runsPerScenario: [Int]

    private let results: ReportFile?
    /// Whether `results` is a spool only (CSV not asked for).
    private let resultsSpooled: Bool
    private let attempts: ReportFile?
    /// `summary.json`'s run objects, with each scenario's ranges in it (adjacent ranges merged: a
    /// scenario's runs come one after another).
    private let jsonRuns: ReportFile?
    private var jsonRanges: [[Range<Int>]]
    /// `junit.xml`'s failures per scenario × policy (see `junitFailures` for the first run's).
    private let junitSpool: ReportFile?
    private var junitRanges: [JUnitKey: [Range<Int>]] = [:]
    private var junitFirstRun: [JUnitKey: (plain: String, labelled: String)] = [:]
    private var junitRunCount: [JUnitKey: Int] = [:]
    /// `summary.md`'s failed expectations, in order.
    private let markdownSpool: ReportFile?
    /// Further files (a runner's record of the runs), by name.
    private var extraFiles: [(name: String, file: ReportFile)] = []
    private var finished = false

    private struct JUnitKey: Hashable {
        var scenario: Int
        var policy: String
    }

    /// Spools are hidden files of the staging folder, removed before it is committed.
    private static let jsonSpoolName = ".summary-runs.spool"
    private static let junitSpoolName = ".junit-failures.spool"
    private static let markdownSpoolName = ".markdown-failures.spool"
    private static let resultsSpoolName = ".results.spool"

    /// A stream into `staging` for the scenarios of `header`, whose `runs` are not read.
    /// `keepsResultsTable`: keep the results table even when CSV is not asked for (as a spool),
    /// for `resultsTable()`.
    init(
        formats: Set<ReportFormat>, header: ReportInput, staging: ReportDirectory.Staging, keepsResultsTable: Bool = false
    ) throws(ReportError) {
        self.formats = formats
        var header = header
        for index in header.scenarios.indices { header.scenarios[index].runs = [] }
        self.header = header
        self.staging = staging
        summaries = header.scenarios.map { ScenarioSummary($0) }
        runsPerScenario = Array(repeating: 0, count: header.scenarios.count)
        jsonRanges = Array(repeating: [], count: header.scenarios.count)
        func file(_ name: String, if wanted: Bool) throws(ReportError) -> ReportFile? {
            guard wanted else { return nil }
            return try ReportFile(creating: try staging.prepare([name]))
        }
        // A calibration report has no scenario runs: no empty results tables beside it.
        let tables = formats.contains(.csv) && !(header.scenarios.isEmpty && header.calibration != nil)
        resultsSpooled = !tables && keepsResultsTable && !(header.scenarios.isEmpty && header.calibration != nil)
        results = try file(resultsSpooled ? Self.resultsSpoolName : "results.csv", if: tables || resultsSpooled)
        attempts = try file("attempts.csv", if: tables)
        jsonRuns = try file(Self.jsonSpoolName, if: formats.contains(.json))
        junitSpool = try file(Self.junitSpoolName, if: formats.contains(.junit))
        markdownSpool = try file(Self.markdownSpoolName, if: formats.contains(.md))
        results?.append(ReportInput.resultsHeader)
        attempts?.append(ReportInput.attemptsHeader)
    }

    /// A stream that writes the report folder at `directory`, whole or not at all: nothing is there
    /// until `commit`, and a stream dropped before it leaves nothing behind but its own
    /// staging folder's removal.
    package convenience init(
        formats: Set<ReportFormat>, header: ReportInput, directory: String, keepsResultsTable: Bool = false
    ) throws(ReportError) {
        let staging = try ReportDirectory(directory).stage()
        do {
            try self.init(formats: formats, header: header, staging: staging, keepsResultsTable: keepsResultsTable)
        } catch {
            staging.abandon()
            throw error
        }
    }

    deinit {
        if !finished { staging.abandon() }
    }

    /// Removes the staging folder and all that was written into it (an interrupted run); the
    /// stream takes nothing more.
    package func abandon() {
        guard !finished else { return }
        finished = true
        staging.abandon()
    }

    /// Adds the next run of scenario `scenarioIndex`. Returns the name its capture has in `pcap/`,
    /// if it has one.
    @discardableResult
    package func add(_ run: RunReport, scenario scenarioIndex: Int) throws(ReportError) -> String? {
        precondition(!finished, "a run was added to a report stream after it finished")
        precondition(summaries.indices.contains(scenarioIndex), "run of scenario \(scenarioIndex) in a report of \(summaries.count)")
        let runIndex = runsPerScenario[scenarioIndex]
        runsPerScenario[scenarioIndex] += 1
        let scenario = header.scenarios[scenarioIndex]
        let pcap = layout.place(run, of: scenario.name)
        if let results {
            results.append(ReportInput.resultsRow(scenario: scenario.name, run, pcap: pcap))
            try results.flushIfFull()
        }
        if let attempts {
            attempts.append(ReportInput.attemptRows(scenario: scenario.name, run))
            try attempts.flushIfFull()
        }
        if let jsonRuns {
            let start = jsonRuns.size
            jsonRuns.append(ReportInput.summaryJSONRun(run, pcap: pcap))
            Self.extend(&jsonRanges[scenarioIndex], with: start..<jsonRuns.size)
            try jsonRuns.flushIfFull()
        }
        if let junitSpool {
            try addJUnit(run, key: JUnitKey(scenario: scenarioIndex, policy: run.policy), spool: junitSpool)
        }
        if let markdownSpool, !run.failedExpectations.isEmpty {
            markdownSpool.append(ReportInput.markdownFailures(run, of: scenario))
            try markdownSpool.flushIfFull()
        }
        if formats.contains(.pcap), let pcap {
            let path = try staging.prepare(["pcap", pcap])
            if let capture = run.capture {
                // A live capture is already a pcap file.
                try ReportDirectory.writeFile(capture, to: path)
            } else {
                let frames = try PcapFile.frames(run.packets, run: "\(scenario.name) / \(run.policy) #\(run.repetition)")
                try PcapFile.write(frames, to: path)
                try ReportDirectory.syncPath(path)
            }
        }
        summaries[scenarioIndex].add(run, index: runIndex, pcap: pcap)
        return pcap
    }

    /// Adds every run of `input`, scenario by scenario (its scenarios must be this stream's).
    func addRuns(of input: ReportInput) throws(ReportError) {
        for (index, scenario) in input.scenarios.enumerated() {
            for run in scenario.runs { try add(run, scenario: index) }
        }
    }

    /// A run's JUnit failures. Whether they name the run depends on whether its policy runs more
    /// than once, so the first run's are held (both ways) until a second one comes or the report ends.
    private func addJUnit(_ run: RunReport, key: JUnitKey, spool: ReportFile) throws(ReportError) {
        let count = junitRunCount[key, default: 0] + 1
        junitRunCount[key] = count
        if count == 1 {
            junitFirstRun[key] = (ReportInput.junitFailures(run, labelled: false), ReportInput.junitFailures(run, labelled: true))
            return
        }
        var text = ""
        if count == 2, let first = junitFirstRun.removeValue(forKey: key) { text += first.labelled }
        text += ReportInput.junitFailures(run, labelled: true)
        guard !text.isEmpty else { return }
        let start = spool.size
        spool.append(text)
        Self.extend(&junitRanges[key, default: []], with: start..<spool.size)
        try spool.flushIfFull()
    }

    /// Appends bytes to a further file of the folder (made on first use), such as a runner's record
    /// of its runs.
    package func append(_ bytes: some Collection<UInt8>, toFile name: String) throws(ReportError) {
        let file: ReportFile
        if let existing = extraFiles.first(where: { $0.name == name }) {
            file = existing.file
        } else {
            file = try ReportFile(creating: try staging.prepare([name]))
            extraFiles.append((name, file))
        }
        file.append(bytes)
        try file.flushIfFull()
    }

    /// The bytes of `results.csv` so far (the baseline comparison reads the run's own table back).
    package func resultsTable() throws(ReportError) -> String {
        guard let results else { return ReportInput.resultsHeader }
        return String(decoding: try results.bytes(0..<results.size), as: UTF8.self)
    }

    /// Puts the summary files together and commits the folder in place of the target.
    package func finish(baseline: BaselineReport? = nil, population: PopulationReport? = nil) throws(ReportError) {
        precondition(!finished, "a report stream finished twice")
        header.baseline = baseline
        header.population = population
        func output(_ name: String, _ compose: (ReportFile) throws(ReportError) -> Void) throws(ReportError) {
            let file = try ReportFile(creating: try staging.prepare([name]))
            try compose(file)
            try file.finish()
        }
        for file in [resultsSpooled ? nil : results, attempts] {
            try file?.finish()
        }
        if formats.contains(.csv), let calibration = header.calibration {
            try output("calibration.csv") { $0.append(calibration.csv()) }
            if !calibration.distributions.isEmpty {
                try output("calibration-distributions.csv") { $0.append(calibration.distributionsCSV()) }
            }
        }
        if let jsonRuns {
            try output("summary.json") { (file: ReportFile) throws(ReportError) in
                try header.composeSummaryJSON(summaries, runs: jsonRuns, ranges: jsonRanges, into: file)
            }
        }
        if let junitSpool {
            try output("junit.xml") { (file: ReportFile) throws(ReportError) in
                try header.composeJUnit(summaries, into: file) { (scenario: Int, policy: String, out: ReportFile) throws(ReportError) in
                    let key = JUnitKey(scenario: scenario, policy: policy)
                    if let first = junitFirstRun[key] { out.append(first.plain) }
                    for range in junitRanges[key] ?? [] { try out.append(range, of: junitSpool) }
                }
            }
        }
        if let markdownSpool {
            try output("summary.md") { (file: ReportFile) throws(ReportError) in
                try header.composeMarkdown(summaries, failures: markdownSpool, into: file)
            }
        }
        if formats.contains(.html) {
            try output("index.html") { (file: ReportFile) throws(ReportError) in
                file.append(HTMLReport(input: header, summaries: summaries, linksPcaps: formats.contains(.pcap)).render())
            }
        }
        for (_, file) in extraFiles {
            try file.finish()
        }
        for name in [Self.jsonSpoolName, Self.junitSpoolName, Self.markdownSpoolName, Self.resultsSpoolName] {
            let path = staging.path + "/" + name
            if access(path, F_OK) == 0, unlink(path) != 0 { throw .fileSystem(operation: "unlink", path: path, errno: errno) }
        }
        try staging.commit()
        finished = true
    }

    /// Appends `range` to `ranges`, merging it with the last one when they touch.
    private static func extend(_ ranges: inout [Range<Int>], with range: Range<Int>) {
        guard !range.isEmpty else { return }
        if let last = ranges.last, last.upperBound == range.lowerBound {
            ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
        } else {
            ranges.append(range)
        }
    }
}
