/// Writes a report directory (`--out DIR`) from a `ReportInput`.
///
/// Output is deterministic byte for byte: files are rendered from the input alone, in input order,
/// with fixed number formatting and no wall-clock time. The directory is written whole or not at all
/// (see `ReportDirectory`).
package struct ReportWriter: Sendable {
    /// Which files to write.
    package var formats: Set<ReportFormat>
    /// How many threads may render files at once (a run's `--jobs`); the bytes are the same for any.
    package var renderers: Int

    package init(formats: Set<ReportFormat> = Set(ReportFormat.allCases), renderers: Int = 1) {
        self.formats = formats
        self.renderers = renderers
    }

    /// Renders every requested file and puts the folder in place of `directory`, replacing an
    /// existing report only once the new one is complete.
    /// `alsoWriting` gives further files (path inside the folder, bytes) that go in with the report,
    /// after its own files, from the report's layout (where each run's capture goes).
    package func write(
        _ input: ReportInput, to directory: String, alsoWriting extra: (ReportLayout) -> [(String, [UInt8])] = { _ in [] }
    ) throws(ReportError) {
        let target = try ReportDirectory(directory)
        let layout = ReportLayout(input)
        try target.commit(try entries(for: input, layout: layout) + extra(layout).map { .bytes([$0.0], $0.1) })
    }

    /// A folder of other files (`tune`'s), written whole or not at all as a report is.
    package static func writeFolder(_ files: [(String, [UInt8])], to directory: String) throws(ReportError) {
        try ReportDirectory(directory).commit(files.map { .bytes([$0.0], $0.1) })
    }

    /// The files of the report, rendered (pcaps are framed up front so that a bad packet fails the
    /// report before anything is written).
    func entries(for input: ReportInput, layout: ReportLayout) throws(ReportError) -> [ReportDirectory.Entry] {
        let formats = formats
        // The text files, each rendered from the input alone, in this order; side by side when
        // `renderers` allows.
        var texts: [(path: String, render: @Sendable () -> String)] = []
        if formats.contains(.csv) {
            // A calibration report has no scenario runs: no empty results tables beside it.
            if !(input.scenarios.isEmpty && input.calibration != nil) {
                texts.append(("results.csv", { input.resultsCSV(layout: layout) }))
                texts.append(("attempts.csv", { input.attemptsCSV() }))
            }
            if let calibration = input.calibration { texts.append(("calibration.csv", { calibration.csv() })) }
        }
        if formats.contains(.json) { texts.append(("summary.json", { input.summaryJSON(layout: layout) })) }
        if formats.contains(.junit) { texts.append(("junit.xml", { input.junitXML() })) }
        if formats.contains(.md) { texts.append(("summary.md", { input.summaryMarkdown() })) }
        if formats.contains(.html) {
            texts.append(("index.html", {
                HTMLReport(input: input, layout: layout, linksPcaps: formats.contains(.pcap)).render()
            }))
        }
        let rendered = ParallelRender.run(texts.map(\.render), width: renderers)
        var entries: [ReportDirectory.Entry] = zip(texts, rendered).map { .text([$0.path], $1) }
        if formats.contains(.pcap) {
            for (scenarioIndex, scenario) in input.scenarios.enumerated() {
                for (runIndex, run) in scenario.runs.enumerated() {
                    guard let name = layout.pcapName(scenario: scenarioIndex, run: runIndex) else { continue }
                    if let capture = run.capture {
                        // A live capture is already a pcap file; it goes into the staging folder as is.
                        entries.append(.bytes(["pcap", name], capture))
                        continue
                    }
                    let frames = try PcapFile.frames(run.packets, run: "\(scenario.name) / \(run.policy) #\(run.repetition)")
                    entries.append(ReportDirectory.Entry(path: ["pcap", name]) { (path: String) throws(ReportError) in
                        try PcapFile.write(frames, to: path)
                        try ReportDirectory.syncPath(path)
                    })
                }
            }
        }
        return entries
    }
}
