import Foundation
import TestSupport
@testable import Reports

extension ReportInput {
    /// One file of the report as `ReportWriter` puts it in a folder with `formats` (empty when they
    /// do not write it): the tests' view of the files, through the same stream a run writes its
    /// folder with. A run whose packets cannot be framed is a defect of the test here.
    func renderedText(_ name: String, formats: Set<ReportFormat>) -> String {
        do {
            let folder = try TemporaryFolder()
            try ReportWriter(formats: formats).write(self, to: folder.path("report"))
            return String(decoding: FileManager.default.contents(atPath: folder.path("report", name)) ?? Data(), as: UTF8.self)
        } catch {
            preconditionFailure("rendering \(name) failed: \(error)")
        }
    }

    func resultsCSV() -> String { renderedText("results.csv", formats: [.csv]) }
    func attemptsCSV() -> String { renderedText("attempts.csv", formats: [.csv]) }
    func summaryJSON() -> String { renderedText("summary.json", formats: [.json]) }
    func junitXML() -> String { renderedText("junit.xml", formats: [.junit]) }
    func summaryMarkdown() -> String { renderedText("summary.md", formats: [.md]) }
    func htmlPage(linksPcaps: Bool = false) -> String {
        renderedText("index.html", formats: linksPcaps ? [.html, .pcap] : [.html])
    }
}
