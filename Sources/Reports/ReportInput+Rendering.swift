extension ReportInput {
    /// Every file of the report in `formats`, rendered in memory through the same stream a run
    /// writes its folder with: the tests' view of the files, and the read-back of the results table.
    func rendered(_ formats: Set<ReportFormat>) throws(ReportError) -> [String: [UInt8]] {
        let stream = try ReportStream(formats: formats, header: self, staging: nil)
        try stream.addRuns(of: self)
        return try stream.finish(baseline: baseline, population: population)
    }

    /// One file of the report as text (empty when the formats do not write it). A run whose packets
    /// cannot be framed is a defect of the caller here: the file writers report it as an error.
    func renderedText(_ name: String, format: ReportFormat) -> String {
        do {
            return String(decoding: try rendered([format])[name] ?? [], as: UTF8.self)
        } catch {
            preconditionFailure("rendering \(name) in memory failed: \(error)")
        }
    }

    func resultsCSV() -> String { renderedText("results.csv", format: .csv) }
    func attemptsCSV() -> String { renderedText("attempts.csv", format: .csv) }
    func summaryJSON() -> String { renderedText("summary.json", format: .json) }
    func junitXML() -> String { renderedText("junit.xml", format: .junit) }
    func summaryMarkdown() -> String { renderedText("summary.md", format: .md) }
    func htmlPage(linksPcaps: Bool = false) -> String {
        do {
            let formats: Set<ReportFormat> = linksPcaps ? [.html, .pcap] : [.html]
            return String(decoding: try rendered(formats)["index.html"] ?? [], as: UTF8.self)
        } catch {
            preconditionFailure("rendering index.html in memory failed: \(error)")
        }
    }
}
