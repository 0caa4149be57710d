/// Writes a report directory (`--out DIR`) from a `ReportInput`.
///
/// Output is deterministic byte for byte: files are rendered from the input alone, in input order,
/// with fixed number formatting and no wall-clock time. The directory is written whole or not at all
/// (see `ReportDirectory`).
public struct ReportWriter: Sendable {
    /// Which files to write.
    public var formats: Set<ReportFormat>

    public init(formats: Set<ReportFormat> = Set(ReportFormat.allCases)) {
        self.formats = formats
    }

    /// Renders every requested file and puts the folder in place of `directory`, replacing an
    /// existing report only once the new one is complete.
    public func write(_ input: ReportInput, to directory: String) throws(ReportError) {
        let target = try ReportDirectory(directory)
        try target.commit(try entries(for: input))
    }

    /// The files of the report, rendered (pcaps are framed up front so that a bad packet fails the
    /// report before anything is written).
    func entries(for input: ReportInput) throws(ReportError) -> [ReportDirectory.Entry] {
        let layout = ReportLayout(input)
        var entries: [ReportDirectory.Entry] = []
        if formats.contains(.csv) {
            // A calibration report has no scenario runs: no empty results tables beside it.
            if !(input.scenarios.isEmpty && input.calibration != nil) {
                entries.append(.text(["results.csv"], input.resultsCSV(layout: layout)))
                entries.append(.text(["attempts.csv"], input.attemptsCSV()))
            }
            if let calibration = input.calibration { entries.append(.text(["calibration.csv"], calibration.csv())) }
        }
        if formats.contains(.json) { entries.append(.text(["summary.json"], input.summaryJSON(layout: layout))) }
        if formats.contains(.junit) { entries.append(.text(["junit.xml"], input.junitXML())) }
        if formats.contains(.md) { entries.append(.text(["summary.md"], input.summaryMarkdown())) }
        if formats.contains(.html) {
            let page = HTMLReport(input: input, layout: layout, linksPcaps: formats.contains(.pcap))
            entries.append(.text(["index.html"], page.render()))
        }
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
