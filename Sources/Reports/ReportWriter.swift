/// Writes a report directory (`--out DIR`) from a `ReportInput`.
///
/// Output is deterministic byte for byte: files are rendered from the input alone, in input order,
/// with fixed number formatting and no wall-clock time; the runs go through a `ReportStream`, as a
/// run's do while it runs, so both give the same bytes. The directory is written whole or not at all
/// (see `ReportDirectory`).
package struct ReportWriter: Sendable {
    /// Which files to write.
    package var formats: Set<ReportFormat>

    package init(formats: Set<ReportFormat> = Set(ReportFormat.allCases)) {
        self.formats = formats
    }

    /// Renders every requested file and puts the folder in place of `directory`, replacing an
    /// existing report only once the new one is complete.
    package func write(_ input: ReportInput, to directory: String) throws(ReportError) {
        let stream = try ReportStream(formats: formats, header: input, directory: directory)
        try stream.addRuns(of: input)
        try stream.finish(baseline: input.baseline, population: input.population)
    }

    /// A folder of other files (`tune`'s), written whole or not at all as a report is.
    package static func writeFolder(_ files: [(String, [UInt8])], to directory: String) throws(ReportError) {
        try ReportDirectory(directory).commit(files.map { .bytes([$0.0], $0.1) })
    }
}
