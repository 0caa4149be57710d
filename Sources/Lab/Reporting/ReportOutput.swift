import Reports

/// Which report files a run writes and where: `--format` and `--out`, checked before anything runs.
package struct ReportOutput: Sendable {
    /// Every format's name, as `--format` takes them.
    package static let formatNames = ReportFormat.allCases.map(\.rawValue)

    let formats: Set<ReportFormat>

    /// A format name that is not one of ``formatNames``.
    package struct UnknownFormat: Error, Sendable, Hashable, CustomStringConvertible {
        package var name: String
        package var description: String {
            name.isEmpty ? "--format names no format" : "unknown format '\(name)'; use any of " + ReportOutput.formatNames.joined(separator: ",")
        }
    }

    /// Why the report directory could not be written.
    package struct WriteError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Parses a comma-separated list such as `html,csv,json`.
    package init(formats text: String) throws(UnknownFormat) {
        var formats: Set<ReportFormat> = []
        for name in text.split(separator: ",").map({ String($0).trimmingWhitespace() }) where !name.isEmpty {
            guard let format = ReportFormat(rawValue: name) else { throw UnknownFormat(name: name) }
            formats.insert(format)
        }
        if formats.isEmpty { throw UnknownFormat(name: "") }
        self.formats = formats
    }

    /// Whether runs must record their packets (only the pcap files need them).
    package var needsPackets: Bool { formats.contains(.pcap) }

    /// Writes the directory whole or not at all, from runs held in memory, through the `ReportSink`
    /// a run streams its report into, so both give the same bytes. With a `baseline`, the run is
    /// compared with it first (its own results table read back through the reader `compare` uses)
    /// and the comparison goes into the report; it is returned for the caller to print.
    @discardableResult
    package func write(
        _ results: RunResults, to directory: String, baseline: ReportResults? = nil,
        thresholds: RegressionThresholds = .default, population: PopulationReport? = nil
    ) throws(WriteError) -> BaselineComparison? {
        let sink = try ReportSink(self, scenarios: results.scenarios, directory: directory)
        for record in results.records { sink.add(record) }
        return try sink.finish(results, baseline: baseline, thresholds: thresholds, population: population, to: directory)
    }

    /// The formats in the order `--format` lists them all, as `plan.json` records them.
    var formatList: [String] { ReportFormat.allCases.filter(formats.contains).map(\.rawValue) }
}
